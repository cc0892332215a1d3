"""Elasticsearch: one index per language tree (`<prefix>-<language>`), for scale-out.

Documents carry the terms the site's own analyser produced, indexed with a whitespace
tokenizer only, so Elasticsearch matches and ranks exactly the terms the database engines
would: the same query gives the same matches on every engine. Filter values are keyword
fields; facet counts are aggregations, each under the other filters (as on the database).
"""

import logging
import time

from search.models import IndexFilter

from .base import FACET_NAMES, EngineUnavailable, SearchEngine, SearchResult

logger = logging.getLogger(__name__)

TEXT_FIELDS = {"title_terms": 10, "summary_terms": 4, "body_terms": 1}


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(self, url, prefix="procura", retry_after=30):
        self.url = url
        self.prefix = prefix
        # After a search finds the cluster unreachable, searches go straight to the fallback
        # for this many seconds (a visitor waits for no connection attempt meanwhile).
        self.retry_after = retry_after
        self.down_until = None
        self._client = None

    @property
    def client(self):
        if self._client is None:
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(self.url, request_timeout=10, retry_on_timeout=True)
        return self._client

    def index_name(self, locale):
        return f"{self.prefix}-{locale}"

    @property
    def all_indices(self):
        return f"{self.prefix}-*"

    # --- What is stored --------------------------------------------------------------------

    @staticmethod
    def index_definition():
        text = {"type": "text", "analyzer": "terms", "norms": True}
        keyword = {"type": "keyword"}
        return {
            "settings": {
                "analysis": {
                    # Terms arrive analysed: split on spaces and nothing else.
                    "analyzer": {"terms": {"type": "custom", "tokenizer": "whitespace"}}
                },
                "index": {"number_of_shards": 1},
            },
            "mappings": {
                "dynamic": "strict",
                "properties": {
                    "entry_id": {"type": "long"},
                    "page_id": {"type": "long"},
                    "locale": keyword,
                    "language": keyword,
                    "is_fallback": {"type": "boolean"},
                    "content_type": keyword,
                    "date": {"type": "date"},
                    **dict.fromkeys(TEXT_FIELDS, text),
                    "title_words": {"type": "text", "analyzer": "terms"},
                    **dict.fromkeys(FACET_NAMES, keyword),
                },
            },
        }

    @staticmethod
    def document(entry, filters):
        doc = {
            "entry_id": entry.pk,
            "page_id": entry.page_id,
            "locale": entry.locale,
            "language": entry.language,
            "is_fallback": entry.is_fallback,
            "content_type": entry.content_type,
            "date": entry.date.isoformat() if entry.date else None,
            "title_terms": entry.title_terms,
            "summary_terms": entry.summary_terms,
            "body_terms": entry.body_terms,
            "title_words": entry.title_words.strip(),
        }
        for name in FACET_NAMES:
            doc[name] = filters.get(name, [])
        return doc

    def ensure_index(self, locale):
        name = self.index_name(locale)
        if not self.client.indices.exists(index=name):
            self.client.indices.create(index=name, **self.index_definition())
        return name

    def index(self, entries):
        from elasticsearch import helpers

        if not entries:
            return
        filters = {}
        for entry_id, name, value in IndexFilter.objects.filter(
            entry_id__in=[e.pk for e in entries]
        ).values_list("entry_id", "name", "value"):
            filters.setdefault(entry_id, {}).setdefault(name, []).append(value)
        actions = []
        for entry in entries:
            actions.append(
                {
                    "_op_type": "index",
                    "_index": self.ensure_index(entry.locale),
                    "_id": str(entry.pk),
                    "_source": self.document(entry, filters.get(entry.pk, {})),
                }
            )
        helpers.bulk(self.client, actions, refresh="wait_for")

    def replace(self, page_ids, entries, fresh=False):
        """The pages' documents, whatever entries they had (matched by page: the entries
        of an update whose write failed here are gone from the database since)."""
        try:
            if page_ids and not fresh:
                self.client.delete_by_query(
                    index=self.all_indices,
                    query={"terms": {"page_id": sorted(page_ids)}},
                    refresh=True,
                    ignore_unavailable=True,
                    allow_no_indices=True,
                )
            self.index(entries)
        except self.errors() as error:
            raise EngineUnavailable(f"Elasticsearch at {self.url}: {error}") from error

    @staticmethod
    def errors():
        """What the client raises when the cluster cannot be reached or cannot answer."""
        from elastic_transport import TransportError
        from elasticsearch import ApiError
        from elasticsearch.helpers import BulkIndexError

        return (TransportError, ApiError, BulkIndexError)

    def health(self):
        try:
            self.client.options(request_timeout=2, max_retries=0).info()
        except self.errors() as error:
            raise EngineUnavailable(f"Elasticsearch at {self.url}: {error}") from error
        return True

    def delete(self, entry_ids):
        if entry_ids:
            self.client.delete_by_query(
                index=self.all_indices,
                query={"terms": {"entry_id": list(entry_ids)}},
                refresh=True,
                ignore_unavailable=True,
                allow_no_indices=True,
            )

    def clear(self):
        self.client.indices.delete(
            index=self.all_indices, ignore_unavailable=True, allow_no_indices=True
        )

    # --- How it is queried -----------------------------------------------------------------

    @staticmethod
    def filter_clauses(filters, skip=None):
        return [
            {"terms": {name: values}} for name, values in filters.items() if values and name != skip
        ]

    @staticmethod
    def all_of(terms):
        """A document's title, summary and body together hold every one of the terms."""
        return {
            "multi_match": {
                "query": " ".join(terms),
                "fields": [f"{f}^{w}" for f, w in TEXT_FIELDS.items()],
                "type": "cross_fields",
                "operator": "and",
            }
        }

    def query_body(self, request):
        """The search request body: matches per language, filters, facets, one page."""
        should = []
        for language, terms, groups in request.per_language():
            must = [self.all_of(terms)] if terms else []
            for group in groups:
                # One alternative of each group: a glossary term's variants (search/glossary.py).
                either = [self.all_of(alternative) for alternative in group]
                must.append({"bool": {"should": either, "minimum_should_match": 1}})
            should.append({"bool": {"filter": [{"term": {"language": language}}], "must": must}})
        scope = []
        if not request.include_fallbacks:
            scope.append({"term": {"is_fallback": False}})
        aggregations = {
            name: {
                "filter": {"bool": {"filter": self.filter_clauses(request.filters, skip=name)}},
                "aggs": {"values": {"terms": {"field": name, "size": request.facet_limit}}},
            }
            for name in FACET_NAMES
        }
        return {
            "query": {"bool": {"should": should, "minimum_should_match": 1, "filter": scope}},
            "post_filter": {"bool": {"filter": self.filter_clauses(request.filters)}},
            "aggs": aggregations,
            "sort": [{"_score": "desc"}, {"date": {"order": "desc", "missing": "_last"}}],
            "from": request.offset,
            "size": request.limit,
            "track_total_hits": True,
            "_source": ["entry_id"],
        }

    def search(self, request):
        if not request.has_terms():
            return SearchResult(total=0, hits=[], facets={name: [] for name in FACET_NAMES})
        if self.down_until is not None and time.monotonic() < self.down_until:
            raise EngineUnavailable(f"Elasticsearch at {self.url}: unreachable a moment ago")
        index = self.index_name(request.locale) if request.locale else self.all_indices
        try:
            response = self.client.search(
                index=index,
                ignore_unavailable=True,
                allow_no_indices=True,
                **self.query_body(request),
            )
        except self.errors() as error:
            self.down_until = time.monotonic() + self.retry_after
            raise EngineUnavailable(f"Elasticsearch at {self.url}: {error}") from error
        self.down_until = None
        return self.result(response)

    @staticmethod
    def result(response):
        hits = [
            (int(h["_source"]["entry_id"]), float(h["_score"] or 0))
            for h in response["hits"]["hits"]
        ]
        total = response["hits"]["total"]["value"]
        facets = {
            name: [
                (b["key"], b["doc_count"])
                for b in response["aggregations"][name]["values"]["buckets"]
            ]
            for name in FACET_NAMES
            if name in response.get("aggregations", {})
        }
        return SearchResult(total=total, hits=hits, facets=facets)
