"""A full rebuild on PostgreSQL, outside a transaction, ends with a VACUUM of the index."""

import pytest
from django.db import connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
        reason="VACUUM is PostgreSQL's",
    ),
]


def test_a_rebuild_outside_a_transaction_vacuums_the_index(monkeypatch):
    """A rebuild writes each entry twice (its row, then its vector). Outside a transaction it
    ends with a VACUUM, so the dead rows do not wait for autovacuum (which is off on some
    servers, this machine's among them). The test's own connection is inside the test's
    transaction, where VACUUM is refused: the rebuild's end runs on a second connection to
    the same test database, in autocommit, as a management command's would."""
    from search.engines import postgres

    own = connections.create_connection("default")
    try:
        monkeypatch.setattr(postgres, "connection", own)

        def last_vacuum():
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT pg_stat_get_last_vacuum_time('search_indexentry'::regclass)")
                return cursor.fetchone()[0]

        assert not own.in_atomic_block
        before = last_vacuum()
        postgres.PostgresEngine().end_rebuild()
        after = last_vacuum()
    finally:
        own.close()
    assert after is not None and (before is None or after > before)
