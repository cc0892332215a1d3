"""The home page's map of Europe: the case studies of the visitor's language per country,
each country linking to the case study index of that language filtered by it, with the
table beside it; its cost does not grow with the case studies."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.languages.trees import synchronize_locale_trees
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from tests.utils import translate_page

pytestmark = pytest.mark.django_db

COUNTRIES = ["BE", "FR", "IT", "PL", "ES", "SE", "FI", "PT", "IE", "AT"]


@pytest.fixture
def index(home):
    return CaseStudyIndexPageFactory(parent=home, title="Case studies", slug="case-studies")


def add(index, countries, start=0):
    for n, country in enumerate(countries, start):
        CaseStudyPageFactory(parent=index, slug=f"study-{n}", country=country)
    synchronize_locale_trees()


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def the_map(html):
    section = html.select_one("main .case-map")
    assert section is not None, "no map"
    links = {a["href"]: a["aria-label"] for a in section.select("svg.europe-map a")}
    table = [
        (row.th.a.get_text(), row.th.a["href"], row.td.get_text())
        for row in section.select(".case-map__table tbody tr")
    ]
    return section.select_one("#case-map-heading").get_text(), links, table


def test_the_home_page_maps_the_case_studies_linking_the_filtered_index(client, index):
    add(index, ["BE", "BE", "FR"])
    heading, links, table = the_map(page(client, "/en/"))
    assert heading == "Where the case studies are"
    assert links == {
        "/en/case-studies/?country=BE": "Belgium: 2 case studies",
        "/en/case-studies/?country=FR": "France: 1 case study",
    }
    assert table == [
        ("Belgium", "/en/case-studies/?country=BE", "2"),
        ("France", "/en/case-studies/?country=FR", "1"),
    ]
    # The link leads to the listing of that country.
    listing = client.get("/en/case-studies/?country=FR").content.decode()
    assert "1 case study" in listing


def test_in_german_the_map_links_the_german_index(client, index):
    translate_page(index, "de", title="Fallstudien")
    add(index, ["BE", "BE", "FR"])  # their German fallback pages, under the German index
    heading, links, table = the_map(page(client, "/de/"))
    assert heading == "Wo die Fallstudien sind"
    assert links == {
        "/de/case-studies/?country=BE": "Belgien: 2 Fallstudien",
        "/de/case-studies/?country=FR": "Frankreich: 1 Fallstudie",
    }
    assert table[0] == ("Belgien", "/de/case-studies/?country=BE", "2")


def test_no_map_without_case_studies(client, index):
    html = page(client, "/en/")
    assert html.select_one(".case-map") is None


def count_queries(client, url):
    client.get(url)  # per-process memos, as on a running server
    with CaptureQueriesContext(connection) as captured:
        html = page(client, url)
    return len(captured), len(the_map(html)[1])


def test_query_count_of_the_home_page_does_not_grow_with_the_case_studies(client, index):
    add(index, COUNTRIES[:5])  # three featured, two more in the latest: every section shown
    small = {url: count_queries(client, url) for url in ("/en/", "/de/")}
    # The other countries, and a second case study in two of them.
    add(index, [*COUNTRIES[5:], *COUNTRIES[:2]], start=5)
    large = {url: count_queries(client, url) for url in small}
    for url in small:
        assert small[url][1] == 5 and large[url][1] == len(COUNTRIES), url
        assert large[url][0] <= small[url][0], (url, small[url][0], large[url][0])
