"""Storage engines of the public search, behind one interface (`SearchEngine`).

The engine is chosen by configuration: Elasticsearch when ELASTICSEARCH_URL is set, otherwise
the database's own full-text search (PostgreSQL tsvector + GIN, or SQLite FTS5). Analysis is
never the engine's business: it receives terms (search/analysis.py) and stores, matches and
ranks them.
"""

from functools import cache

from django.conf import settings
from django.db import connection


@cache
def get_engine(name=None):
    name = name or configured_engine()
    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchEngine

        return ElasticsearchEngine(
            settings.PROCURA_SEARCH["ELASTICSEARCH_URL"],
            settings.PROCURA_SEARCH["ELASTICSEARCH_INDEX_PREFIX"],
        )
    if name == "postgresql":
        from .postgres import PostgresEngine

        return PostgresEngine()
    from .sqlite import SQLiteEngine

    return SQLiteEngine()


def configured_engine():
    if settings.PROCURA_SEARCH.get("ELASTICSEARCH_URL"):
        return "elasticsearch"
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"
