"""The Elasticsearch engine: mappings and query bodies offline; the real thing when a cluster
is configured (no Elasticsearch server can be installed on the CI machines)."""

import datetime
import os

import pytest

from search.analysis import analyzer
from search.engines.base import SearchRequest
from search.engines.elasticsearch import ElasticsearchEngine
from search.models import IndexEntry

ENGINE = ElasticsearchEngine("http://es.invalid:9200", prefix="test")


def test_index_per_language_with_a_whitespace_analyser_only():
    definition = ENGINE.index_definition()
    assert ENGINE.index_name("de") == "test-de"
    analyser = definition["settings"]["analysis"]["analyzer"]["terms"]
    # Analysis is the site's: Elasticsearch must neither stem nor lower-case again.
    assert analyser == {"type": "custom", "tokenizer": "whitespace"}
    properties = definition["mappings"]["properties"]
    for field in ("title_terms", "summary_terms", "body_terms"):
        assert properties[field] == {"type": "text", "analyzer": "terms", "norms": True}
    for facet in ("type", "topic", "country", "year", "tag"):
        assert properties[facet] == {"type": "keyword"}
    assert definition["mappings"]["dynamic"] == "strict"


def test_document_holds_the_same_terms_as_the_database():
    entry = IndexEntry(
        pk=7,
        page_id=3,
        locale="de",
        language="de",
        is_fallback=False,
        content_type="casestudies.casestudypage",
        date=datetime.date(2021, 5, 1),
        title_terms=" ".join(analyzer("de").terms("Beschaffungen der Stadt")),
        summary_terms="",
        body_terms="",
        title_words=" beschaffungen der stadt ",
    )
    doc = ENGINE.document(entry, {"topic": ["food"], "country": ["BE"]})
    assert doc["title_terms"] == "beschaff stadt"
    assert doc["topic"] == ["food"] and doc["country"] == ["BE"] and doc["tag"] == []
    assert doc["date"] == "2021-05-01"
    assert set(doc) <= set(ENGINE.index_definition()["mappings"]["properties"])


def test_query_body_matches_all_terms_per_language_and_facets_under_other_filters():
    request = SearchRequest(
        terms={"de": ["beschaff"], "en": ["procur"]},
        locale="de",
        filters={"country": ["BE"], "topic": ["food"]},
        offset=10,
        limit=10,
    )
    body = ENGINE.query_body(request)
    should = body["query"]["bool"]["should"]
    assert [c["bool"]["filter"] for c in should] == [
        [{"term": {"language": "de"}}],
        [{"term": {"language": "en"}}],
    ]
    match = should[0]["bool"]["must"][0]["multi_match"]
    assert match["query"] == "beschaff" and match["operator"] == "and"
    assert match["fields"] == ["title_terms^10", "summary_terms^4", "body_terms^1"]
    assert body["post_filter"]["bool"]["filter"] == [
        {"terms": {"country": ["BE"]}},
        {"terms": {"topic": ["food"]}},
    ]
    # Each facet counts under the other filters, not its own.
    assert body["aggs"]["country"]["filter"]["bool"]["filter"] == [{"terms": {"topic": ["food"]}}]
    assert body["aggs"]["topic"]["filter"]["bool"]["filter"] == [{"terms": {"country": ["BE"]}}]
    assert (body["from"], body["size"], body["track_total_hits"]) == (10, 10, True)


def test_operator_characters_never_reach_a_query_parser():
    terms = analyzer("en").query_terms('a && b || !c (d) "e" ~f ^g AND OR NOT title:x*')
    body = ENGINE.query_body(SearchRequest(terms={"en": terms}, locale="en"))
    query = body["query"]["bool"]["should"][0]["bool"]["must"][0]["multi_match"]["query"]
    # multi_match does not parse Lucene syntax, and the terms hold only letters and digits.
    assert all(term.isalnum() for term in query.split())


def test_search_all_languages_excludes_fallbacks():
    body = ENGINE.query_body(
        SearchRequest(terms={"en": ["bus"]}, locale=None, include_fallbacks=False)
    )
    assert body["query"]["bool"]["filter"] == [{"term": {"is_fallback": False}}]


def test_result_parsing():
    response = {
        "hits": {
            "total": {"value": 2},
            "hits": [
                {"_score": 3.5, "_source": {"entry_id": 4}},
                {"_score": 1.0, "_source": {"entry_id": 9}},
            ],
        },
        "aggregations": {
            name: {"values": {"buckets": [{"key": "x", "doc_count": 2}]}}
            for name in ("type", "topic", "country", "year", "tag")
        },
    }
    result = ENGINE.result(response)
    assert result.total == 2 and result.hits == [(4, 3.5), (9, 1.0)]
    assert result.facets["topic"] == [("x", 2)]


ES_URL = os.environ.get("ELASTICSEARCH_URL", "")


@pytest.mark.elasticsearch
@pytest.mark.skipif(
    not ES_URL,
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch cluster "
    "to test against (none can be installed on these machines)",
)
@pytest.mark.django_db
def test_against_a_real_cluster(collection):
    from search.engines.base import SearchRequest as Request
    from search.indexing import EntryBuilder  # noqa: F401

    engine = ElasticsearchEngine(ES_URL, prefix="procura-test")
    engine.clear()
    entries = list(IndexEntry.objects.all())
    engine.index(entries)
    result = engine.search(Request(terms={"de": ["beschaff"]}, locale="de"))
    assert result.total == 1
    (entry_id, _score) = result.hits[0]
    assert IndexEntry.objects.get(pk=entry_id).title == "Gent serviert pflanzliche Schulessen"
    engine.delete([entry_id])
    assert engine.search(Request(terms={"de": ["beschaff"]}, locale="de")).total == 0
    engine.clear()


def test_query_body_asks_for_one_variant_of_each_glossary_term():
    """A place name in the query: one of its variants (each all of its terms) must match,
    besides the query's other terms."""
    request = SearchRequest(
        terms={"de": ["bus"]},
        alternatives={"de": [(("krakow",), ("krakau",), ("monac", "bavier"))]},
        locale="de",
    )
    (clause,) = ENGINE.query_body(request)["query"]["bool"]["should"]
    plain, either = clause["bool"]["must"]
    assert plain["multi_match"]["query"] == "bus"
    assert either["bool"]["minimum_should_match"] == 1
    alternatives = [c["multi_match"] for c in either["bool"]["should"]]
    assert [a["query"] for a in alternatives] == ["krakow", "krakau", "monac bavier"]
    assert {a["operator"] for a in alternatives} == {"and"}
    # A query of a place name alone has no other terms to match.
    alone = SearchRequest(terms={"de": []}, alternatives=request.alternatives, locale="de")
    (clause,) = ENGINE.query_body(alone)["query"]["bool"]["should"]
    assert [list(c) for c in clause["bool"]["must"]] == [["bool"]]


@pytest.mark.elasticsearch
@pytest.mark.skipif(
    not ES_URL,
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch cluster "
    "to test against (none can be installed on these machines)",
)
@pytest.mark.django_db
def test_a_place_name_in_another_form_on_a_real_cluster(collection):
    from search.engines.base import SearchRequest as Request

    engine = ElasticsearchEngine(ES_URL, prefix="procura-test")
    engine.clear()
    engine.index(list(IndexEntry.objects.all()))
    alternatives = {"de": [(("krakow",), ("krakau",))]}
    result = engine.search(Request(terms={"de": []}, alternatives=alternatives, locale="de"))
    assert [IndexEntry.objects.get(pk=pk).title for pk, _score in result.hits] == [
        "Krakau kauft Elektrobusse"
    ]
    engine.clear()
