"""The migrated SQLite file the tests start from is made again whenever what makes it changes
(tests/database.py)."""

import pytest
from django.db.migrations.loader import MigrationLoader

from tests.database import digest_inputs, migration_digest


@pytest.mark.django_db  # a migration of wagtail-localize reads the database as it is loaded
def test_every_migration_of_every_app_and_the_settings_are_read():
    inputs = digest_inputs()
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    assert set(graph.nodes) <= set(inputs)
    assert {("wagtailcore", "0001_initial"), ("casestudies", "0001_initial")} <= set(inputs)
    assert {("settings", "base.py"), ("settings", "dev.py")} <= set(inputs)
    assert all(path.is_file() for path in inputs.values())


def test_a_change_to_any_input_gives_another_file(tmp_path):
    inputs = {}
    for name in ("0001_initial", "0002_more"):
        inputs[("app", name)] = tmp_path / f"{name}.py"
        inputs[("app", name)].write_text(f"# {name}\n")
    before = migration_digest(inputs)
    assert migration_digest(inputs) == before
    (tmp_path / "0002_more.py").write_text("# 0002_more, changed\n")
    assert migration_digest(inputs) != before
    inputs[("app", "0003_new")] = tmp_path / "0001_initial.py"
    assert len({before, migration_digest(inputs)}) == 2


@pytest.mark.django_db
def test_the_test_database_starts_with_every_migration_applied():
    """Copied from the kept migrated database, whatever the engine: every migration of
    Django's graph is recorded as applied, as `migrate` would have left it."""
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    applied = MigrationRecorder(connection).applied_migrations()
    assert set(graph.nodes) <= set(applied)
    if connection.vendor == "postgresql":
        test_settings = settings.DATABASES["default"]["TEST"]
        assert test_settings["TEMPLATE"] == f"procura_migrated_{migration_digest()}"
