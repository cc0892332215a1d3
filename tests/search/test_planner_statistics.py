"""PostgreSQL: the planner knows that an entry's language tree and its text language go
together (search/migrations/0004). Without that it expects 1/24 of the rows it finds and
skips the GIN index for a scan of every entry of the language (measured in bench/)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
        reason="extended statistics are PostgreSQL's",
    ),
]


def test_statistics_over_locale_and_language_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.stxkind, array_agg(a.attname ORDER BY a.attname)
            FROM pg_statistic_ext s
            JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = ANY(s.stxkeys)
            WHERE s.stxname = 'search_entry_locale_language'
              AND s.stxrelid = 'search_indexentry'::regclass
            GROUP BY s.stxkind
            """
        )
        rows = cursor.fetchall()
    assert len(rows) == 1
    kinds, columns = rows[0]
    assert set(kinds) >= {"f", "m"}  # functional dependencies and most common values
    assert columns == ["language", "locale"]
