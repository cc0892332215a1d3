"""An Elasticsearch cluster that cannot be reached: searches fall back to the database's own
index, which is kept in every configuration (index updates: test_index_retry.py).

No cluster can run on these machines; an address where nothing listens (port 9) is a
cluster that is down, for real: the client's connection is refused.
"""

import pytest

from search.engines import get_engine
from search.query import search

pytestmark = pytest.mark.django_db

# --- Searching --------------------------------------------------------------------------


def test_search_json_says_it_fell_back_to_the_database(client, collection, engine_down):
    response = client.get("/de/search/", {"q": "Beschaffungen", "format": "json"})
    assert response.status_code == 200
    data = response.json()
    assert data["engine"] == "database" and data["degraded"] is True
    # The same matches as the database engine gives: its index is kept in every configuration.
    assert data["total"] == 1
    assert data["results"][0]["url"].endswith("/de/case-studies/ghent/")


def test_search_page_and_autocomplete_answer(client, collection, engine_down):
    response = client.get("/de/search/", {"q": "Beschaffungen"})
    assert response.status_code == 200
    assert 'href="/de/case-studies/ghent/"' in response.content.decode()
    assert client.get("/de/search/", {"q": "Beschaffungx"}).status_code == 200  # suggestions
    assert client.get("/de/search/autocomplete/", {"q": "Ge"}).status_code == 200


def test_after_a_failure_searches_skip_the_cluster_for_a_while(collection, engine_down):
    engine = get_engine()
    assert engine.down_until is None
    results = search("heat pumps", "en", log=False)
    assert results.degraded and results.total >= 1
    assert engine.down_until is not None  # the next searches go straight to the database


def test_without_a_cluster_the_database_answers_undegraded(client, collection):
    data = client.get("/en/search/", {"q": "heat pumps", "format": "json"}).json()
    assert data["engine"] == "database" and data["degraded"] is False
