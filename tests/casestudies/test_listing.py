"""The case study index: filters that combine, counts, totals, pagination, robustness."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CaseStudyPageFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_lists_newest_tender_first(client, index, series):
    response = client.get(index.url)
    assert response.status_code == 200
    # By year of the tender, then the most recently published.
    assert titles(response) == [
        "Lyon heat",
        "Oslo lights",
        "Ghent meals",
        "Leuven meals",
        "Turin buses",
    ]
    assert "5 case studies" in response.content.decode()


def test_filters_combine(client, index, series):
    response = client.get(index.url, {"topic": "food", "country": "BE"})
    assert titles(response) == ["Ghent meals", "Leuven meals"]
    response = client.get(index.url, {"topic": "food", "country": "BE", "year": "2019"})
    assert titles(response) == ["Leuven meals"]
    response = client.get(index.url, {"topic": "energy", "approach": "life-cycle-costing"})
    assert titles(response) == ["Oslo lights"]
    response = client.get(index.url, {"tag": "school-meals"})
    assert titles(response) == ["Ghent meals", "Leuven meals"]


def test_values_of_one_filter_widen(client, index, series):
    response = client.get(index.url + "?country=NO&country=IT")
    assert titles(response) == ["Oslo lights", "Turin buses"]


def test_facet_counts_apply_the_other_filters(rf, index, series):
    from casestudies.listing import CaseStudyFilters

    request = rf.get("/", {"country": "BE"})
    facets = CaseStudyFilters(request.GET).facets(index.case_studies())
    topic_counts = {o.value: o.count for o in facets["topic"]}
    assert topic_counts == {"food": 2}
    # A filter's own counts ignore its own selection, so other countries stay choosable.
    country_counts = {o.value: o.count for o in facets["country"]}
    assert country_counts == {"BE": 2, "NO": 1, "FR": 1, "IT": 1}
    assert [o.value for o in facets["country"] if o.selected] == ["BE"]
    year_counts = {o.value: o.count for o in facets["year"]}
    assert year_counts == {"2021": 1, "2019": 1}


def test_totals_follow_the_filter(rf, index, series):
    from casestudies.listing import CaseStudyFilters, totals

    all_totals = totals(index.case_studies())
    assert all_totals["co2e"] == 175
    assert all_totals["co2e_count"] == 3
    assert all_totals["energy"] == 3000
    assert all_totals["cost"] == 21500
    request = rf.get("/", {"country": "BE"})
    be = totals(CaseStudyFilters(request.GET).apply(index.case_studies()))
    assert (be["co2e"], be["cost"], be["cost_count"]) == (150, 1000, 1)


def test_totals_are_shown(client, index, series):
    body = client.get(index.url, {"country": "BE"}).content.decode()
    assert "150 t" in body
    assert "2 case studies" in body


def test_filter_state_lives_in_the_url(client, index, series):
    body = client.get(index.url, {"topic": "food", "country": "BE"}).content.decode()
    assert 'name="topic" value="food" checked' in body
    assert '<option value="BE" selected>' in body
    assert "?topic=food&amp;country=BE&amp;format=csv" in body


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "999999"},
        {"page": "-1"},
        {"page": "9" * 30},
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"year": "\u1369\u136a\u136b\u136c"},  # Ethiopic digits: digits, but not int()'s
        {"year": "\u1369\u136a\u136b\u136c", "format": "csv"},
        {"year": "\u1369\u136a\u136b\u136c", "format": "json"},
        {"topic": "no-such-topic"},
        {"country": "XX"},
        {"country": "x" * 5000},
        {"tag": "\x00"},
        {"approach": "'; DROP TABLE wagtailcore_page; --"},
    ],
)
def test_bad_parameters_never_fail(client, index, series, params):
    response = client.get(index.url, params)
    assert response.status_code == 200
    if response.streaming:  # the CSV export: written as it is sent
        b"".join(response.streaming_content)


def test_unknown_filter_value_gives_an_empty_list(client, index, series):
    response = client.get(index.url, {"topic": "no-such-topic"})
    assert titles(response) == []
    assert "No case study matches these filters." in response.content.decode()


def test_page_past_the_end_shows_the_last_page(client, index, topics):
    for n in range(14):
        CaseStudyPageFactory(parent=index, title=f"Study {n:02d}", year=2000 + n)
    response = client.get(index.url, {"page": "999999"})
    assert titles(response) == ["Study 01", "Study 00"]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in (
        response.content.decode()
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_items_shown(client, index, topics, approaches):
    def add(start, n):
        for i in range(start, start + n):
            CaseStudyPageFactory(
                parent=index,
                title=f"Study {i}",
                topics=[topics["food"]],
                approaches=[approaches["lcc"]],
                tags=["school meals", f"t{i}"],
            )

    add(0, 5)
    client.get(index.url)  # warm caches that are per process (site root paths)
    five = count_queries(client, index.url)
    add(5, 45)
    fifty = count_queries(client, index.url + "?page=1")
    assert five == fifty, f"{five} queries for 5 items, {fifty} for 12 of 50"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"topic": "food"},
        {"country": ["BE", "NO"], "year": "2021"},
        {"approach": "life-cycle-costing", "tag": "led"},
        {"topic": ["food", "energy"], "tag": "school-meals", "year": ["2019", "2021"]},
    ],
)
def test_one_query_summary_agrees_with_the_orm(rf, index, series, params):
    """The single-query summary gives what filtering with the ORM gives, value by value."""
    from casestudies.listing import PAGE_SIZE, CaseStudyFilters, ordered, totals

    base = index.case_studies()
    filters = CaseStudyFilters(rf.get("/", params).GET)
    summary = filters.summarise(base)
    selection = filters.apply(base)
    assert summary.count == selection.count()
    expected = totals(selection)
    assert summary.totals == expected
    for name in CaseStudyFilters.names:
        for option in summary.facets[name]:
            changed = CaseStudyFilters(rf.get("/", {**params, name: option.value}).GET)
            assert option.count == changed.apply(base).count(), (name, option.value)
    # Its page of ids is the ORM's page of the listing, in order, on every page.
    ids = list(ordered(selection).values_list("pk", flat=True))
    assert summary.page_ids == ids[:PAGE_SIZE]
    for page in (1, 2, 3):
        assert (
            filters.summarise(base, page=page, page_size=2).page_ids == ids[2 * page - 2 : 2 * page]
        )
    # Every value that occurs in the selection (under the other filters) is offered.
    other = filters.apply(base, skip="country")
    offered = {o.value for o in summary.facets["country"]}
    assert set(other.values_list("country", flat=True)) <= offered


def card_topics(response):
    return re.findall(r'<ul class="card__topics"[^>]*>(.*?)</ul>', response.content.decode())


def test_cards_name_their_topics(client, index, topics):
    CaseStudyPageFactory(parent=index, title="Both", topics=[topics["food"], topics["energy"]])
    CaseStudyPageFactory(parent=index, title="None", year=1999)
    response = client.get(index.url)
    assert titles(response) == ["Both", "None"]
    # Only the card with topics has a list, its names in alphabetical order.
    assert card_topics(response) == ["<li>Energy</li><li>Food and catering</li>"]


def test_cards_name_their_topics_past_the_last_page(client, index, topics):
    for n in range(14):
        CaseStudyPageFactory(parent=index, title=f"Study {n:02d}", year=2000 + n)
    CaseStudyPageFactory(parent=index, title="Oldest", year=1990, topics=[topics["energy"]])
    response = client.get(index.url, {"page": "999999"})
    assert titles(response) == ["Study 01", "Study 00", "Oldest"]
    assert card_topics(response) == ["<li>Energy</li>"]


def test_cards_name_topics_in_the_visitors_language(rf, index, topics, locale_de):
    from django.utils import translation

    from casestudies.listing import listing_context

    german = topics["food"].copy_for_translation(locale_de)
    german.name = "Lebensmittel und Verpflegung"
    german.save()
    CaseStudyPageFactory(parent=index, title="Ghent", topics=[topics["food"], topics["energy"]])
    with translation.override("de"):
        cards = listing_context(index, rf.get("/"))["case_studies"]
    # The German name where there is one, else the original's.
    assert [card.topic_labels for card in cards] == [["Energy", "Lebensmittel und Verpflegung"]]
