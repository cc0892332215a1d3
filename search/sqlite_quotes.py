"""A search term holding a double quote, on SQLite's full-text search (modelsearch's database
backend, which the admin's search, the API's `search` and Wagtail's own searches use on the
embedded default database).

modelsearch writes each term as an FTS5 string, `"term"`, without doubling the double quotes
inside it, so a term such as `"` or `a"b` ends its string early and FTS5 answers a syntax
error: a 500 for `/api/v2/pages/?search=%22` or an admin search for `"`. This writes each
double quote twice, as FTS5 reads a quote inside a string. On PostgreSQL nothing changes (the
module it patches is SQLite's and is not loaded there). A workaround of home/upstream.py:
it checks the code it replaces and stays off, with a warning, where that has changed;
tests/search/test_sqlite_quotes.py calls upstream's own code and fails once it is fixed.
"""

from django.db import connection

from home.upstream import replace

UPSTREAM_DIGEST = "0f2a4801d6e5ca88"


def _as_sql(self, compiler, connection):
    template, params = _as_sql.upstream(self, compiler, connection)
    return template, [param.replace('"', '""') for param in params]


def double_quotes_in_terms():
    """Put the replacement of `Lexeme.as_sql` in place, on SQLite only."""
    if connection.vendor != "sqlite":
        return
    from modelsearch.backends.database.sqlite.query import Lexeme

    replace(Lexeme, "as_sql", _as_sql, UPSTREAM_DIGEST, "search/sqlite_quotes.py")
