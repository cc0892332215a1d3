"""Shared fixtures: the test database is migrated and given its 24 language trees once per
session (as `make run` does), and each test runs in a transaction rolled back after it."""

import gc
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Locale, Page, Site

from tests.database import migrated_postgresql_template, migrated_template


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """The test database starts migrated (tests/database.py) rather than each worker running
    every migration: on SQLite Django only creates the tables, which a copy of the migrated
    file then replaces (`django_db_setup`); on PostgreSQL the server makes it from the
    migrated database as its template, and Django finds every table there."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["MIGRATE"] = False
    elif database["ENGINE"] == "django.db.backends.postgresql":
        test = database.setdefault("TEST", {})
        test["TEMPLATE"] = migrated_postgresql_template(database)
        test["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, every migration applied, then set up as `make run` sets it up.

    On SQLite it is copied from the file every migration was applied to, made once and kept
    between runs (tests/database.py; shared by the xdist workers and by the tests that serve
    the site from processes of their own), instead of each worker migrating its own; on
    PostgreSQL it was made from the migrated database (`django_db_modify_db_settings`).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            template = sqlite3.connect(migrated_template())
            connection.ensure_connection()
            with template:
                template.backup(connection.connection)
            template.close()
            ContentType.objects.clear_cache()  # the ids of the tables Django had created
        call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def migrated_sqlite():
    """A function that gives a SQLite file (its path, the argument) every migration applied.

    For the tests that serve the site from processes of their own (Varnish in front, the
    production settings, backups): they start from a copy instead of migrating afresh, and
    still run `migrate` (then a no-op) as the set-up they imitate does.
    """
    template = migrated_template()

    def copy(path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, path)
        return path

    return copy


@pytest.fixture(autouse=True)
def _english_by_default():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_memos(monkeypatch):
    """Each test starts with an empty cache and empty per-process memos (home/memo.py:
    locales, sites by host, page addresses, taxonomy names, queries with editors' picks),
    which do not expire on their own.

    Rolled-back test transactions send no signal, so a memo kept from an earlier test could
    hold its rows; and an expiry falling between two requests of a query-count test would
    add a query to one of them (it did, once, in CI). So would a generation an earlier test
    left in the memo, which the cleared cache no longer has: the memo compares it at most once
    a second, and did so inside the second of two requests on a slow run. Each memo starts
    afresh instead, as in a new process, and compares at its first answer.
    """
    from django.core.cache import cache

    from home.memo import Memo

    cache.clear()  # the generations of home/memo.py and what they guard (the menus)
    for memo in Memo.every:
        memo.start_afresh()
        monkeypatch.setattr(memo, "seconds", float("inf"))


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home(site):
    return site.root_page.specific


@pytest.fixture
def locale_de(db):
    return Locale.objects.get(language_code="de")


@pytest.fixture
def home_de(home, locale_de):
    return Page.objects.get(translation_key=home.translation_key, locale=locale_de).specific


# Folders whose test files share data built once for the folder (a package-scoped fixture in
# the folder's conftest.py): with `--dist loadfile` each goes to one worker whole, where a file
# would otherwise be the unit and every worker that got one of its files would build the data.
SHARED_FOLDERS = ("tests/search/collection/",)


def scheduling_unit(nodeid):
    """What `--dist loadfile` gives one worker whole: a file, or a folder of SHARED_FOLDERS."""
    folder = next((f for f in SHARED_FOLDERS if nodeid.startswith(f)), None)
    return folder or nodeid.split("::", 1)[0]


class SharedFolderScheduling:
    """pytest-xdist's file scheduling, with the folders of SHARED_FOLDERS as single units,
    handed out in the order `pytest_collection_modifyitems` puts them in."""

    def pytest_xdist_make_scheduler(self, config, log):
        if config.getoption("dist") != "loadfile":
            return None
        from xdist.scheduler import LoadFileScheduling

        # The workers' collection order (below) is the order units are handed out in.
        config.option.loadscopereorder = False

        class FileOrSharedFolderScheduling(LoadFileScheduling):
            def _split_scope(self, nodeid):
                return scheduling_unit(nodeid)

        return FileOrSharedFolderScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """Units with a test marked `long_running` first, then the others by their number of tests,
    most first (xdist's own order).

    The last unit a worker takes runs alone while the other worker has finished; a single
    long test (the browser's half minute of autosave) handed out last would run on an idle
    machine, where at the start it runs beside the other worker's files."""
    units = {}
    for item in items:
        units.setdefault(scheduling_unit(item.nodeid), []).append(item)
    ordered = sorted(
        units.values(),
        key=lambda tests: (
            not any(test.get_closest_marker("long_running") for test in tests),
            -len(tests),
        ),
    )
    items[:] = [item for tests in ordered for item in tests]


def pytest_configure(config):
    # The hook is pytest-xdist's: only where it is loaded (not with `-p no:xdist`).
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(SharedFolderScheduling(), "procura-shared-folders")


def pytest_collection_finish(session):
    """Python's cyclic garbage collector, told what stays: everything a worker holds once the
    tests are collected (Django, Wagtail, the test modules) lives to the end of the run, and
    the collector would otherwise walk it again at every full collection. Frozen, and with a
    larger first generation (the tests allocate many short-lived objects: queries, pages,
    responses), collecting takes a smaller share of the run (docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine}"
