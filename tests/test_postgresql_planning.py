"""PostgreSQL planning: the case study listing reads its figures from a covering index
(casestudies/migrations/0003); the planner knows that a search entry's language tree and its
text language go together (search/migrations/0004): without that it expects 1/24 of the rows
it finds and skips the GIN index for a scan of every entry of the language (bench/)."""

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


def test_the_case_study_listing_reads_its_figures_from_an_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'casestudy_listing_cover'"
        )
        (definition,) = cursor.fetchone()
    assert "(page_ptr_id) INCLUDE (country, year, co2e_tonnes_per_year" in definition
