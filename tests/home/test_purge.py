"""A view restriction added or removed purges, wherever a frontend cache is configured, every
language version of its page and everything under them (home/purge.py)."""

import pytest
from django.core.management import call_command
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import PageViewRestriction

from tests.factories import NewsIndexPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db

PURGED = []


class RecordingBackend(BaseBackend):
    """A frontend cache backend that keeps the addresses it is asked to purge."""

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture
def frontend_cache(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "recording": {"BACKEND": "tests.home.test_purge.RecordingBackend"}
    }
    PURGED.clear()
    yield PURGED
    PURGED.clear()


def test_a_restriction_purges_the_section_in_every_language(
    home, frontend_cache, django_capture_on_commit_callbacks
):
    news = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(parent=news, slug="members-briefing")
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=news, restriction_type=PageViewRestriction.LOGIN
        )
    for language in ("en", "de", "sv", "mt"):
        assert f"http://localhost/{language}/news/" in frontend_cache
        assert f"http://localhost/{language}/news/{item.slug}/" in frontend_cache
    assert len(frontend_cache) == 2 * 24

    frontend_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert len(frontend_cache) == 2 * 24


def test_nothing_is_purged_without_a_frontend_cache(
    home, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    news = NewsIndexPageFactory(parent=home)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    assert not [c for c in callbacks if getattr(c, "__module__", "") == "home.purge"]
