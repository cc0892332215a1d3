"""Help around the search: the no-results page's advice, and what the search forms give
static/js/autocomplete.js (the endpoint in the page's language, its translated messages)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.models import IndexEntry, IndexFilter
from search.query import AUTOCOMPLETE_LIMIT
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def page(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_no_results_page_gives_advice_and_popular_topics(client, collection):
    soup = page(client, "/de/search/", q="xqzvw")
    advice = soup.select_one(".no-results")
    assert advice is not None
    links = {a.get_text(" ", strip=True): a["href"] for a in advice.select("a")}
    assert links["In allen Sprachen nach „xqzvw“ suchen"] == "?q=xqzvw&all=1"
    assert "Prüfen Sie die Schreibweise" in advice.get_text()
    assert advice.select_one("h3").get_text(strip=True) == "Beliebte Themen"
    # Most entries first in the German tree: energy (Krakau and the Helsinki fallback), food.
    topics = [(a.get_text(strip=True), a["href"]) for a in advice.select(".no-results__topics a")]
    assert topics == [("Energy", "/de/topics/energy/"), ("Food and catering", "/de/topics/food/")]
    # No "Refine results" box holding only its button.
    assert soup.select_one("form.filters") is None
    assert "Ergebnisse eingrenzen" not in soup.get_text()


def test_no_results_page_shows_the_spelling_suggestion_with_the_advice(client, collection):
    soup = page(client, "/de/search/", q="Beschafung")
    suggestion = soup.select_one(".suggestion a")
    assert suggestion.get_text() == "beschaffung"
    assert suggestion["href"] == "?q=beschaffung"
    assert soup.select_one(".no-results__topics") is not None


def test_no_link_to_all_languages_when_all_languages_were_searched(client, collection):
    soup = page(client, "/de/search/", q="xqzvw", all="1")
    assert soup.select_one(".no-results") is not None
    assert not [a for a in soup.select(".no-results a") if "all=1" in a["href"]]


def test_topics_are_named_in_the_visitors_language(client, collection):
    from wagtail.models import Locale

    energy = collection["krakow"].topics.first()
    translated = energy.copy_for_translation(Locale.objects.get(language_code="fr"))
    translated.name = "Énergie"
    translated.save()
    soup = page(client, "/fr/search/", q="xqzvw")
    names = [a.get_text(strip=True) for a in soup.select(".no-results__topics a")]
    assert "Énergie" in names and "Energy" not in names


def test_results_page_keeps_its_filters_and_has_no_advice(client, collection):
    soup = page(client, "/de/search/", q="Beschaffungen")
    assert soup.select_one("form.filters") is not None
    assert soup.select_one(".no-results") is None


def test_popular_topics_cost_the_same_queries_whatever_their_number(client, collection):
    def queries():
        client.get("/de/search/", {"q": "xqzvw"})  # names remembered, as on a busy site
        with CaptureQueriesContext(connection) as captured:
            soup = page(client, "/de/search/", q="xqzvw")
        return len(captured), len(soup.select(".no-results__topics a"))

    before, shown_before = queries()
    entries = list(IndexEntry.objects.filter(locale="de"))
    for n in range(4):
        TopicFactory(name=f"Topic {n}", slug=f"topic-{n}")
        IndexFilter.objects.bulk_create(
            IndexFilter(entry=entry, locale="de", name="topic", value=f"topic-{n}")
            for entry in entries
        )
    after, shown_after = queries()
    assert shown_before == 2 and shown_after == 6
    assert after == before


def counts(input_tag):
    return json.loads(input_tag["data-autocomplete-counts"])


def test_search_page_input_carries_the_autocomplete_in_the_page_language(client, collection):
    soup = page(client, "/de/search/")
    field = soup.select_one("form.search-form .search-form__field")
    search_input = field.select_one("input[type=search]")
    assert field.select_one("button[type=submit]") is not None
    assert search_input["data-autocomplete"] == "/de/search/autocomplete/"
    assert search_input["data-autocomplete-label"] == "Vorschläge"
    messages = counts(search_input)
    assert len(messages) == AUTOCOMPLETE_LIMIT + 1
    assert messages[:3] == ["Keine Vorschläge", "1 Vorschlag verfügbar.", "2 Vorschläge verfügbar."]
    # Without the script, a plain search form; the script is a file (CSP: no inline code).
    assert soup.select_one("input[role=combobox]") is None
    scripts = soup.select("script")
    assert "/static/js/autocomplete.js" in [s.get("src") for s in scripts]
    assert all(s.get("src") or s.get("type") == "application/json" for s in scripts)


def test_every_plural_form_of_the_count_is_given(client, collection):
    soup = page(client, "/pl/search/")
    messages = counts(soup.select_one("#site-search-page"))
    assert messages[1] == "Dostępna jest 1 podpowiedź."
    assert messages[2] == "Dostępne są 2 podpowiedzi."
    assert messages[5] == "Dostępnych jest 5 podpowiedzi."


def test_header_search_form_carries_the_autocomplete(client, collection):
    soup = page(client, "/fr/topics/")
    search_input = soup.select_one("header form.search-form input[type=search]")
    assert search_input["data-autocomplete"] == "/fr/search/autocomplete/"
    assert search_input["data-autocomplete-label"] == "Suggestions"
    assert counts(search_input)[0] == "Aucune suggestion"
    assert search_input.find_parent(class_="search-form__field") is not None
    assert soup.select_one("script[src='/static/js/autocomplete.js']") is not None
