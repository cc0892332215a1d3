"""Shared fixtures: the test database is migrated and given its 24 language trees once per
session (as `make run` does), and each test runs in a transaction rolled back after it."""

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Locale, Page, Site


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


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
    add a query to one of them (it did, once, in CI).
    """
    from django.core.cache import cache

    from home.memo import Memo

    cache.clear()  # the generations of home/memo.py and what they guard (the menus)
    for memo in Memo.every:
        memo.forget_here()
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


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine}"
