"""Storage engines of the public search, behind one interface (`SearchEngine`).

The engine is chosen by configuration: Elasticsearch when ELASTICSEARCH_URL is set, otherwise
the database's own full-text search (PostgreSQL tsvector + GIN, or SQLite FTS5). Analysis is
never the engine's business: it receives terms (search/analysis.py) and stores, matches and
ranks them.

The database's own index is kept in every configuration (`index_engines`): where
Elasticsearch is configured it is written too, so that a search falls back to it while the
cluster cannot be reached (search/query.py), with the same matches.
"""

from functools import cache

from django.conf import settings
from django.db import connection

from .base import EngineUnavailable  # noqa: F401 (part of this package's interface)
from .elasticsearch import ElasticsearchEngine
from .postgres import PostgresEngine
from .sqlite import SQLiteEngine


def get_engine(name=None):
    """The engine searches go to (the configured one), or the one named."""
    name = name or configured_engine()
    if name == "elasticsearch":
        config = settings.PROCURA_SEARCH
        return _engine(
            name,
            config["ELASTICSEARCH_URL"],
            config["ELASTICSEARCH_INDEX_PREFIX"],
            config.get("ELASTICSEARCH_RETRY_AFTER", 30),
        )
    return _engine(name)


@cache
def _engine(name, *config):
    """One engine per configuration, per process."""
    if name == "elasticsearch":
        url, prefix, retry_after = config
        return ElasticsearchEngine(url, prefix, retry_after=retry_after)
    if name == "postgresql":
        return PostgresEngine()
    return SQLiteEngine()


def configured_engine():
    if settings.PROCURA_SEARCH.get("ELASTICSEARCH_URL"):
        return "elasticsearch"
    return database_engine_name()


def database_engine_name():
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def database_engine():
    """The database's own engine: the index every configuration keeps, and the fallback."""
    return get_engine(database_engine_name())


def index_engines():
    """The engines every index change is written to: the database's own first."""
    engines = [database_engine()]
    if configured_engine() != database_engine_name():
        engines.append(get_engine())
    return engines
