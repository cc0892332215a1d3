"""What visitors' responses tell a shared cache (home/cache.py), and what a change purges."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction, Site

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from home import cache
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)
from tests.utils import module_data

pytestmark = pytest.mark.django_db


@module_data
def site_page_pks():
    """Case studies and news in the 24 language trees, made once for the module."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CaseStudyIndexPageFactory(parent=home)
    study = CaseStudyPageFactory(parent=index, slug="ghent", title="Ghent buys better")
    news = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=news, slug="seminar")
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return index.pk, study.pk


@pytest.fixture
def site_pages(site_page_pks):
    index, study = site_page_pks
    return CaseStudyIndexPage.objects.get(pk=index), CaseStudyPage.objects.get(pk=study)


def tags_of(response):
    return set(response[cache.TAGS_HEADER].split())


def test_anonymous_pages_may_be_kept_by_shared_caches_and_set_no_cookies(client, site_pages):
    index, study = site_pages
    for path in (
        "/en/",
        "/de/case-studies/",
        "/en/case-studies/ghent/",
        "/sv/news/",
        "/sitemap.xml",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=86400", path
        assert response["ETag"], path
        assert not response.cookies, path
    assert client.cookies == {}

    page = client.get("/en/case-studies/ghent/")
    assert tags_of(page) == {f"path:{study.path}", f"page:{study.translation_key}"}
    listing = client.get("/en/case-studies/")
    assert f"type:{study._meta.label_lower}" in tags_of(listing)
    # The home page lists the latest of these types: a new one purges it.
    listed = {"type:casestudies.casestudypage", "type:news.newspage", "type:news.eventpage"}
    assert listed <= tags_of(client.get("/de/"))
    assert tags_of(client.get("/sitemap.xml")) == {"pages"}


def test_an_unchanged_page_is_a_304_to_a_browser_that_has_it(client, site_pages):
    first = client.get("/en/case-studies/ghent/")
    again = client.get("/en/case-studies/ghent/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_search_is_kept_for_a_minute_and_a_404_too(client, site_pages):
    for path in ("/en/search/?q=ghent", "/en/search/autocomplete/?q=gh", "/en/no-such-page/"):
        response = client.get(path)
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=60", path


def test_editors_the_admin_and_restricted_pages_are_never_kept(admin_client, client, site_pages):
    _index, study = site_pages
    response = admin_client.get("/en/case-studies/ghent/")
    assert "private" in response["Cache-Control"] and "s-maxage" not in response["Cache-Control"]
    assert "private" in admin_client.get("/admin/")["Cache-Control"]
    assert (
        "no-store" in client.get("/health/")["Cache-Control"]
        or "private" in client.get("/health/")["Cache-Control"]
    )

    PageViewRestriction.objects.create(page=study, restriction_type=PageViewRestriction.PASSWORD)
    for path in ("/en/case-studies/ghent/", "/de/case-studies/ghent/"):
        response = client.get(path)
        assert response.status_code == 200 and 'name="password"' in response.content.decode()
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert cache.TAGS_HEADER not in response


def test_a_ban_pattern_reaches_a_page_what_lists_it_and_everything_below(site_pages):
    import re

    index, study = site_pages
    pattern = cache.ban_pattern({index.path}, {study.translation_key}, {"news.newspage"}, True)
    assert " " not in pattern and "\\" not in pattern and '"' not in pattern

    def banned(tags):
        return re.search(pattern.replace("[[:space:]]", r"\s"), tags) is not None

    assert banned(f"page:{study.translation_key} path:{study.path}")
    assert banned(f"path:{index.path}")
    assert banned(f"path:{study.path}")  # below the index
    assert banned("pages")
    assert banned("path:0001 type:news.newspage")
    assert not banned("path:0001 type:news.eventpage page:0000")
    assert not banned(f"path:{index.path[:-4]}")  # above it


def test_a_deleted_page_purges_the_listings_of_its_type_in_every_language(
    client, settings, monkeypatch, site_pages, django_capture_on_commit_callbacks
):
    """A deleted page cannot be read once the delete commits: what it was is queued before."""
    import re

    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "home.cache.VarnishBackend", "LOCATION": "http://127.0.0.1:9"}
    }
    bans = []
    monkeypatch.setattr(cache.VarnishBackend, "ban", lambda backend, pattern: bans.append(pattern))
    index, study = site_pages
    listings = {code: client.get(f"/{code}/case-studies/") for code in ("en", "de", "sv")}
    with django_capture_on_commit_callbacks(execute=True):  # in every language, as the admin does
        for version in Page.objects.filter(translation_key=study.translation_key).specific():
            version.delete()
    for code, listing in listings.items():
        tags = listing[cache.TAGS_HEADER]
        assert any(re.search(ban.replace("[[:space:]]", r"\s"), tags) for ban in bans), code
