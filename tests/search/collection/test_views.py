"""The search page and its JSON form: answers, errors, and no input that breaks them."""

import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db


def test_search_page_shows_results_with_marked_snippets(client, collection):
    response = client.get("/de/search/", {"q": "Beschaffungen"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 result for “Beschaffungen”" in body or "Beschaffungen" in body
    assert 'href="/de/case-studies/ghent/"' in body
    assert "<mark>Beschaffung</mark>" in body
    assert '<meta name="robots" content="noindex, follow">' in body


def test_fallback_results_are_labelled_and_marked_with_their_language(client, collection):
    body = client.get("/nl/search/", {"q": "heat pumps"}).content.decode()
    assert '<div lang="en">' in body
    assert 'class="badge"' in body


def test_json_form(client, collection):
    response = client.get("/fr/search/", {"q": "eleves", "format": "json"})
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "eleves" and data["locale"] == "fr" and data["total"] == 1
    (result,) = data["results"]
    assert result["url"] == "http://testserver/fr/case-studies/ghent/"
    assert result["type"] == "casestudies.casestudypage" and result["locale"] == "fr"
    assert "<mark>élèves</mark>" in result["snippet"]
    assert {"type", "topic", "country", "year", "tag"} <= set(data["facets"])


def test_autocomplete_endpoint(client, collection):
    response = client.get("/de/search/autocomplete/", {"q": "kra"})
    assert response.json() == {
        "results": [{"title": "Krakau kauft Elektrobusse", "url": "/de/case-studies/krakow/"}]
    }


def test_too_long_query_is_refused_with_a_message(client, collection):
    response = client.get("/en/search/", {"q": "x" * 5000})
    assert response.status_code == 400
    body = response.content.decode()
    assert "too long" in body
    # The message is the search field's description, and the field marked invalid.
    assert 'aria-describedby="search-help search-error" aria-invalid="true"' in body
    assert '<p id="search-error" class="notice notice--error" role="alert">' in body
    assert client.get("/en/search/", {"q": "x" * 5000, "format": "json"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "x" * 200,
        '& | ! : * ( ) " - ~ ^',
        "AND OR NEAR",
        "NOT",
        "title:*",
        "'; DROP TABLE search_indexentry; --",
        '" OR 1=1 --',
        "*",
        "***",
        "-",
        "^2",
        "((((",
        "a NEAR/2 b",
        "🙂",
        "‮",
        "a\u0301",
    ],
)
def test_operator_characters_and_injection_are_plain_text(client, collection, query, caplog):
    with caplog.at_level(logging.ERROR):
        for fmt in ("html", "json"):
            response = client.get("/en/search/", {"q": query, "format": fmt})
            assert response.status_code in (200, 400)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%C0%AF", "%00", "%E2%80%AE%F0%9F"])
def test_lone_surrogates_and_invalid_utf8_in_the_url(client, collection, raw):
    assert client.get(f"/en/search/?q={raw}").status_code == 200
    assert client.get(f"/en/search/?q={raw}&format=json").status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "school", "page": "abc"},
        {"q": "school", "page": "-5"},
        {"q": "school", "page": "9" * 30},
        {"q": "school", "type": "x" * 500},
        {"q": "school", "year": "\x00"},
        {"q": "school", "country": ["BE"] * 50},
        {"q": "school", "all": "yes"},
    ],
)
def test_any_page_or_filter_value_is_answered(client, collection, params):
    assert client.get("/en/search/", params).status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300), page=st.text(max_size=12), topic=st.text(max_size=50))
def test_fuzzed_queries_never_fail(client, collection, query, page, topic):
    response = client.get(
        "/en/search/", {"q": query, "page": page, "topic": topic, "format": "json"}
    )
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        json.loads(response.content)


def test_a_page_past_the_last_shows_the_last(client, collection):
    body = client.get("/en/search/", {"q": "procurement", "page": "40"}).content.decode()
    assert 'class="search-results"' in body
    assert "no-results" not in body


def test_did_you_mean_keeps_the_languages_and_the_filters(client, collection):
    body = client.get(
        "/en/search/", {"q": "schoool meels", "all": "1", "type": "casestudies.casestudypage"}
    ).content.decode()
    assert 'href="?q=school+meals&amp;all=1&amp;type=casestudies.casestudypage"' in body
