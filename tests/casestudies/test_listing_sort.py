"""The case study index on small screens and its sort orders: the result count, the chips of
the chosen filters, and the `sort` parameter kept in every link of the listing."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from casestudies.listing import (
    DEFAULT_SORT,
    PAGE_SIZE,
    SORTS,
    CaseStudyFilters,
    ordered,
)
from tests.factories import CaseStudyPageFactory

pytestmark = pytest.mark.django_db

NEWEST = ["Lyon heat", "Oslo lights", "Ghent meals", "Leuven meals", "Turin buses"]


def titles(response):
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_newest_is_the_default(client, index, series):
    assert titles(client.get(index.url)) == NEWEST
    assert titles(client.get(index.url, {"sort": "newest"})) == NEWEST


def test_impact_puts_the_largest_saving_first_and_the_unreported_last(client, index, series):
    # 100, 50, 25 t; Oslo (2021) and Turin (2018) report none: newest of them first.
    assert titles(client.get(index.url, {"sort": "impact"})) == [
        "Ghent meals",
        "Leuven meals",
        "Lyon heat",
        "Oslo lights",
        "Turin buses",
    ]


def test_title_sorts_a_to_z_whatever_the_case(client, index, series):
    CaseStudyPageFactory(parent=index, title="bruges bins", year=2000)
    CaseStudyPageFactory(parent=index, title="Athens water", year=2001)
    assert titles(client.get(index.url, {"sort": "title"})) == [
        "Athens water",
        "bruges bins",
        "Ghent meals",
        "Leuven meals",
        "Lyon heat",
        "Oslo lights",
        "Turin buses",
    ]


@pytest.mark.skipif(
    "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="the language's collation is PostgreSQL's (ICU); SQLite sorts by lower case",
)
def test_title_follows_the_language_on_postgresql(rf, index):
    for title in ("Zagreb", "Århus", "Aachen", "Örebro"):
        CaseStudyPageFactory(parent=index, title=title)

    def in_order(language):
        with translation.override(language):
            filters = CaseStudyFilters(rf.get("/", {"sort": "title"}).GET)
            ids = filters.summarise(index.case_studies()).page_ids
            orm = list(ordered(index.case_studies(), "title").values_list("title", flat=True))
        by_id = dict(index.case_studies().values_list("pk", "title"))
        assert [by_id[pk] for pk in ids] == orm
        return orm

    # German sorts Å with A and Ö with O; Swedish puts both after Z.
    assert in_order("de") == ["Aachen", "Århus", "Örebro", "Zagreb"]
    assert in_order("sv") == ["Aachen", "Zagreb", "Århus", "Örebro"]


@pytest.mark.parametrize("value", ["", "oldest", "TITLE", "\x00", "x" * 5000, "-year"])
def test_a_bad_sort_gives_the_newest_first(client, index, series, value):
    response = client.get(index.url, {"sort": value})
    assert response.status_code == 200
    assert titles(response) == NEWEST
    assert f'<a href="{index.url}" aria-current="true">Newest</a>' in response.content.decode()


def test_two_sorts_take_the_first(client, index, series):
    response = client.get(index.url + "?sort=title&sort=impact")
    assert titles(response)[0] == "Ghent meals"  # "title": G before L, O, T


@pytest.mark.parametrize("sort", list(SORTS))
def test_the_summary_pages_as_the_orm_orders(rf, index, series, sort):
    """The page of ids of the one-statement summary is the ORM's order, page by page."""
    CaseStudyPageFactory(
        parent=index, title="ghent meals", slug="ghent-2", year=2021, co2e_tonnes_per_year=100
    )
    base = index.case_studies()
    for params in ({"sort": sort}, {"sort": sort, "topic": "food"}):
        filters = CaseStudyFilters(rf.get("/", params).GET)
        ids = list(ordered(filters.apply(base), sort).values_list("pk", flat=True))
        assert filters.summarise(base).page_ids == ids[:PAGE_SIZE]
        for page in (1, 2, 3):
            got = filters.summarise(base, page=page, page_size=2).page_ids
            assert got == ids[2 * page - 2 : 2 * page], (params, page)


def test_sort_is_kept_in_every_link(client, index, topics):
    for n in range(PAGE_SIZE + 2):
        CaseStudyPageFactory(parent=index, title=f"Study {n:02d}", topics=[topics["food"]])
    body = client.get(index.url, {"sort": "title", "topic": "food"}).content.decode()
    # Pagination, exports, the chip and "Clear all", the filter form and the sort links.
    assert "?topic=food&amp;sort=title&amp;page=2" in body
    assert "?topic=food&amp;sort=title&amp;format=csv" in body
    assert "?topic=food&amp;sort=title&amp;format=json" in body
    assert f'href="{index.url}?sort=title"><span class="visually-hidden">Remove filter: ' in body
    assert f'class="chips__clear" href="{index.url}?sort=title">' in body
    assert '<input type="hidden" name="sort" value="title">' in body
    sort_links = body.split('class="sort-links"')[1].split("</ul>")[0]
    assert re.findall(r'<li><a href="([^"]+)"( aria-current="true")?>', sort_links) == [
        (f"{index.url}?topic=food", ""),
        (f"{index.url}?topic=food&amp;sort=impact", ""),
        (f"{index.url}?topic=food&amp;sort=title", ' aria-current="true"'),
    ]
    # The default order is left out of the addresses.
    body = client.get(index.url, {"sort": "newest", "topic": "food"}).content.decode()
    assert "?topic=food&amp;page=2" in body
    assert "?topic=food&amp;format=csv" in body
    assert 'name="sort"' not in body


def test_exports_follow_the_sort(client, index, series):
    data = json.loads(client.get(index.url, {"sort": "title", "format": "json"}).content)
    assert [row["title"] for row in data["results"]] == sorted(
        (s.title for s in series), key=str.casefold
    )
    assert data["sort"] == "title"
    csv = client.get(index.url, {"sort": "impact", "format": "csv"}).getvalue().decode()
    assert [line.split(",")[0] for line in csv.splitlines()[1:]] == [
        "Ghent meals",
        "Leuven meals",
        "Lyon heat",
        "Oslo lights",
        "Turin buses",
    ]


def test_result_count_and_chips(client, index, series):
    body = client.get(
        index.url, {"topic": "food", "country": ["BE", "FR"], "tag": "school-meals"}
    ).content.decode()
    assert '<h2 id="results-heading" class="results__count">2 case studies</h2>' in body
    chips = re.findall(r'<a class="chip" href="([^"]+)">(.*?)</a>', body)
    names = [re.sub(r"<[^>]+>", "", text).replace("×", "").strip() for _href, text in chips]
    assert names == [
        "Remove filter: Food and catering",
        "Remove filter: Belgium",
        "Remove filter: France",
        "Remove filter: school meals",
    ]
    hrefs = [href for href, _text in chips]
    assert hrefs == [
        f"{index.url}?country=BE&amp;country=FR&amp;tag=school-meals",
        f"{index.url}?topic=food&amp;country=FR&amp;tag=school-meals",
        f"{index.url}?topic=food&amp;country=BE&amp;tag=school-meals",
        f"{index.url}?topic=food&amp;country=BE&amp;country=FR",
    ]
    assert f'class="chips__clear" href="{index.url}">Clear all</a>' in body
    # The filters show how many are chosen on their toggle.
    assert '<span class="case-filters__chosen">(4)</span>' in body


def test_one_result_is_counted_in_the_singular(client, index, series):
    body = client.get(index.url, {"year": "2019"}).content.decode()
    assert 'class="results__count">1 case study</h2>' in body


def test_no_chips_without_filters(client, index, series):
    body = client.get(index.url).content.decode()
    assert 'class="chip"' not in body
    assert "chips__clear" not in body
    assert '<details class="case-filters" data-case-filters>' in body  # closed


def test_the_list_comes_before_the_totals_and_charts(client, index, series):
    body = client.get(index.url).content.decode()
    first_card = body.index('class="card__title"')
    assert first_card < body.index('id="totals-heading"')
    assert first_card < body.index('class="case-charts"')
    assert body.index('id="results-heading"') < first_card


def test_sort_labels_are_translated(client, index, series, locale_de):
    with translation.override("de"):
        labels = [str(order.label) for order in SORTS.values()]
    assert labels == ["Neueste", "CO2e-Einsparung", "A–Z"]
    assert DEFAULT_SORT == "newest"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("sort", list(SORTS))
def test_query_count_does_not_grow_with_the_items_shown(client, index, topics, sort):
    def add(start, n):
        for i in range(start, start + n):
            CaseStudyPageFactory(
                parent=index,
                title=f"Study {i}",
                topics=[topics["food"]],
                tags=[f"t{i}"],
                co2e_tonnes_per_year=i if i % 2 else None,
            )

    add(0, 3)
    url = f"{index.url}?sort={sort}&topic=food"
    client.get(url)  # warm caches that are per process
    few = count_queries(client, url)
    add(3, 30)
    many = count_queries(client, url)
    past_the_end = count_queries(client, url + "&page=99")
    assert few == many, f"{sort}: {few} queries for 3 items, {many} for 12 of 33"
    assert past_the_end <= many + 3  # the ORM's page instead of the summary's
