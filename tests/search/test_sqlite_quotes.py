"""A double quote in a search term, on SQLite's full-text search (search/sqlite_quotes.py)."""

import logging

import pytest
from django.db import connection

from home.upstream import fingerprint
from search import sqlite_quotes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text search"),
]


@pytest.fixture
def lexeme():
    from modelsearch.backends.database.sqlite.query import Lexeme

    return Lexeme


def test_upstream_still_leaves_a_double_quote_in_a_term_as_it_is(lexeme):
    """Fails once modelsearch doubles it itself: then the workaround is to go."""
    _template, (param,) = sqlite_quotes._as_sql.upstream(lexeme('a"b'), None, connection)
    assert param == 'a"b'
    assert fingerprint(sqlite_quotes._as_sql.upstream) == sqlite_quotes.UPSTREAM_DIGEST


@pytest.mark.parametrize("term", ['"', 'a"b', '"heat pumps', "'\""])
def test_a_search_with_double_quotes_answers(client, admin_client, term):
    assert client.get("/api/v2/pages/", {"search": term}).status_code == 200
    assert client.get("/api/v2/images/", {"search": term}).status_code == 200
    assert admin_client.get("/admin/pages/search/", {"q": term}).status_code == 200


def test_it_stays_off_with_a_warning_where_upstream_has_changed(lexeme, monkeypatch, caplog):
    upstream = sqlite_quotes._as_sql.upstream
    monkeypatch.setattr(lexeme, "as_sql", upstream)
    monkeypatch.setattr(sqlite_quotes, "UPSTREAM_DIGEST", "0" * 16)
    with caplog.at_level(logging.WARNING, logger="home.upstream"):
        sqlite_quotes.double_quotes_in_terms()
    assert lexeme.as_sql is upstream
    assert "search/sqlite_quotes.py" in caplog.text
