"""The case study index's map of Europe and its chart of results by topic: what they draw,
where they link, what they are called, their tables, and that they follow the filters."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.http import QueryDict
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from casestudies.charts import MAP_DATA, europe, legend, shade
from tests.factories import CaseStudyPageFactory, TopicFactory

pytestmark = pytest.mark.django_db

EU27 = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def outline(code):
    return next(c["d"] for c in europe()["countries"] if c["code"] == code)


def map_links(page):
    """{href: (accessible name, the path drawn)} of the map's countries."""
    svg = page.select_one("svg.europe-map")
    return {a["href"]: (a["aria-label"], a.path["d"]) for a in svg.find_all("a")}


def map_table(page):
    rows = page.select(".case-map__table tbody tr")
    return [(r.th.a.get_text(), r.th.a["href"], r.td.get_text()) for r in rows]


def chart_table(page):
    rows = page.select(".impact-chart__table tbody tr")
    return [[r.th.get_text(), *(td.get_text() for td in r.find_all("td"))] for r in rows]


def chart_bars(page):
    svg = page.select_one("svg.impact-chart__bars")
    labels = [t.get_text() for t in svg.select(".impact-chart__label")]
    values = [t.get_text() for t in svg.select(".impact-chart__value")]
    return list(zip(labels, values, (int(r["width"]) for r in svg.find_all("rect")), strict=True))


def test_the_map_data_covers_europe_and_names_its_source():
    data = json.loads(MAP_DATA.read_text())
    codes = {c["code"] for c in data["countries"]}
    assert set(EU27.split()) | {"NO", "IS", "CH", "GB", "LI", "RS", "BA", "AL", "ME"} <= codes
    assert data["source"]["package"].startswith("world-atlas 2.")
    assert "Natural Earth" in data["source"]["licence"]
    assert all(c["d"].startswith("M") and c["d"].endswith("Z") for c in data["countries"])


def test_each_country_with_case_studies_is_shaded_named_and_linked(client, index, series):
    page = soup(client.get(index.url))
    assert map_links(page) == {
        "?country=BE": ("Belgium: 2 case studies", outline("BE")),
        "?country=FR": ("France: 1 case study", outline("FR")),
        "?country=IT": ("Italy: 1 case study", outline("IT")),
        "?country=NO": ("Norway: 1 case study", outline("NO")),
    }
    svg = page.select_one("svg.europe-map")
    assert svg["aria-labelledby"] == "case-map-heading"
    assert page.select_one("#case-map-heading").get_text() == "Where the case studies are"
    # Every other outline is drawn as land, hidden from assistive technology.
    land = svg.select("path.europe-map__land")
    assert len(land) == len(europe()["countries"]) - 4
    assert all(p["aria-hidden"] == "true" for p in land)
    # One shade per case study up to five: Belgium's two are darker than Norway's one.
    classes = {a["href"]: a["class"] for a in svg.find_all("a")}
    assert classes["?country=BE"] == ["shade-2"]
    assert classes["?country=NO"] == ["shade-1"]
    assert [li.get_text() for li in page.select(".case-map__legend li")] == ["1", "2"]
    # The table says the same, with the same links.
    assert map_table(page) == [
        ("Belgium", "?country=BE", "2"),
        ("France", "?country=FR", "1"),
        ("Italy", "?country=IT", "1"),
        ("Norway", "?country=NO", "1"),
    ]


def test_the_map_follows_the_other_filters(client, index, series):
    page = soup(client.get(index.url, {"topic": "food", "country": "FR"}))
    # The counts are the country filter's: under the other filters, all countries choosable.
    assert map_links(page) == {
        "?topic=food&country=BE": ("Belgium: 2 case studies", outline("BE")),
        "?topic=food&country=FR": ("France: 1 case study", outline("FR")),
    }
    assert page.select_one('.europe-map a[href="?topic=food&country=FR"]')["class"] == [
        "shade-1",
        "is-selected",
    ]
    assert map_table(page) == [
        ("Belgium", "?topic=food&country=BE", "2"),
        ("France", "?topic=food&country=FR", "1"),
    ]


def test_no_map_and_no_chart_without_case_studies(client, index, series):
    page = soup(client.get(index.url, {"year": "1999"}))
    assert page.select_one(".case-map") is None
    assert page.select_one(".impact-chart") is None


def test_names_in_the_visitors_language(rf, index, series):
    from casestudies.charts import map_context
    from casestudies.listing import CaseStudyFilters

    with translation.override("de"):
        options = CaseStudyFilters(QueryDict()).facets(index.case_studies())["country"]
        countries = map_context(options, lambda code: f"?country={code}")["countries"]
        assert [(c.name, c.label) for c in countries] == [
            ("Belgien", "Belgien: 2 Fallstudien"),
            ("Frankreich", "Frankreich: 1 Fallstudie"),
            ("Italien", "Italien: 1 Fallstudie"),
            ("Norwegen", "Norwegen: 1 Fallstudie"),
        ]


def test_shades_and_legend_agree():
    assert shade(12, 12) == 5 and shade(1, 12) == 1 and shade(7, 12) == 3
    assert legend(12) == [(1, 1, 2), (2, 3, 4), (3, 5, 7), (4, 8, 9), (5, 10, 12)]
    for most in (1, 2, 3, 7, 12, 100):
        steps = legend(most)
        for count in range(1, most + 1):
            found = [step for step, low, high in steps if low <= count <= high]
            assert found == [shade(count, most)], (most, count)


def test_the_chart_shows_results_by_topic_with_a_table(client, index, series):
    page = soup(client.get(index.url))
    # Food: Ghent 100 + Leuven 50 + Lyon 25; energy: Lyon 25 (Oslo reports no CO2e).
    assert chart_bars(page) == [("Food and catering", "175 t", 330), ("Energy", "25 t", 47)]
    svg = page.select_one("svg.impact-chart__bars")
    assert svg["role"] == "img"
    assert page.select_one(f"#{svg['aria-labelledby']}").get_text() == (
        "CO2e saved per year by topic"
    )
    assert chart_table(page) == [
        ["Energy", "2", "25 t", "3,000 MWh", "€20,500"],
        ["Food and catering", "3", "175 t", "–", "€1,500"],
    ]


def test_the_chart_follows_the_filters(client, index, series):
    page = soup(client.get(index.url, {"country": "BE"}))
    assert chart_bars(page) == [("Food and catering", "150 t", 330)]
    assert chart_table(page) == [["Food and catering", "2", "150 t", "–", "€1,000"]]
    page = soup(client.get(index.url, {"year": "2021"}))
    assert chart_bars(page) == [("Food and catering", "100 t", 330)]
    assert chart_table(page) == [
        ["Energy", "1", "–", "3,000 MWh", "€20,000"],
        ["Food and catering", "1", "100 t", "–", "€1,000"],
    ]


def test_figures_in_the_visitors_format(index, series):
    from casestudies.charts import topic_chart
    from casestudies.listing import CaseStudyFilters

    filters = CaseStudyFilters(QueryDict())
    summary = filters.summarise(index.case_studies())
    chart = topic_chart(summary.topic_totals, filters.topic_names)
    template = Template(
        "{% load site_tags %}{% for r in rows %}{{ r.energy|figure:0 }}|{{ r.cost|money }};"
        "{% endfor %}"
    )
    with translation.override("de"):
        assert template.render(Context(chart)) == "3.000|20.500\xa0€;|1.500\xa0€;"


@pytest.mark.parametrize(
    "params",
    [{}, {"topic": "food"}, {"country": ["BE", "NO"], "year": "2021"}, {"tag": "led"}],
)
def test_totals_by_topic_agree_with_the_orm(rf, index, series, params):
    from casestudies.listing import CaseStudyFilters, totals

    base = index.case_studies()
    filters = CaseStudyFilters(rf.get("/", params).GET)
    found = filters.summarise(base).topic_totals
    selection = filters.apply(base)
    expected = {}
    for slug in selection.values_list("topics__slug", flat=True).distinct():
        if slug:
            chosen = selection.filter(topics__slug=slug)
            expected[slug] = {"count": chosen.count(), **totals(chosen)}
    assert found == expected


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


COUNTRIES = ["BE", "NO", "FR", "IT", "DE", "PL", "ES", "PT", "SE", "FI", "GR", "RO"]


def test_queries_do_not_grow_with_the_countries_and_topics_shown(client, index):
    topics = [TopicFactory(name=f"Topic {i}", slug=f"topic-{i}") for i in range(8)]

    def add(countries, topic_count):
        for i, country in enumerate(countries):
            CaseStudyPageFactory(
                parent=index,
                country=country,
                topics=topics[:topic_count],
                co2e_tonnes_per_year=10 * (i + 1),
            )

    add(COUNTRIES[:2], 1)
    client.get(index.url)  # warm the per-process memos
    few = count_queries(client, index.url)
    assert len(map_links(soup(client.get(index.url)))) == 2
    add(COUNTRIES[2:], 8)
    many = count_queries(client, index.url)
    page = soup(client.get(index.url))
    assert len(map_links(page)) == len(COUNTRIES)
    assert len(chart_bars(page)) == 8
    assert few == many, f"{few} queries for 2 countries and 1 topic, {many} for 12 and 8"


HOME_MAP = Template("{% load casestudy_tags %}{% case_study_map page %}")


def test_the_home_page_include(rf, home, index, series):
    request = rf.get("/en/")
    html = HOME_MAP.render(Context({"page": home, "request": request}))
    page = BeautifulSoup(html, "html.parser")
    assert map_links(page) == {
        f"{index.url}?country=BE": ("Belgium: 2 case studies", outline("BE")),
        f"{index.url}?country=FR": ("France: 1 case study", outline("FR")),
        f"{index.url}?country=IT": ("Italy: 1 case study", outline("IT")),
        f"{index.url}?country=NO": ("Norway: 1 case study", outline("NO")),
    }
    assert map_table(page)[0] == ("Belgium", f"{index.url}?country=BE", "2")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            HOME_MAP.render(Context({"page": home, "request": request}))
        return len(captured)

    before = queries()
    for country in COUNTRIES[4:]:
        CaseStudyPageFactory(parent=index, country=country)
    assert queries() == before
