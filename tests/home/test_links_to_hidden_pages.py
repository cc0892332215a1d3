"""What other pages say of a page visitors may not see: links to it in rich text, the
breadcrumbs and the Manual's name above it, the redirects app, the tag pages of its tags,
and the edge cache's bans when it is hidden (home/rich_text.py, home/redirects.py,
home/cache.py).

A case study titled with a marker word is linked from a standard page's body; each test
hides it one way and reads the page that links to it in English (the originals), German
(real translations) and Swedish (fallback pages)."""

import datetime

import pytest
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.rich_text import RichText

from home.languages.trees import synchronize_locale_trees
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    ManualChapterPageFactory,
    ManualPageFactory,
    NavigationMenuFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)
from tests.utils import banned, module_data, translate_page

pytestmark = pytest.mark.django_db

MARK = "zephyrlink"
LANGUAGES = ("en", "de", "sv")
HOW = ("password", "login", "unpublished", "scheduled", "expired")


def published(page):
    page.save_revision().publish()
    return page


@module_data
def site_pks():
    home = Site.objects.get(is_default_site=True).root_page.specific
    studies = CaseStudyIndexPageFactory(parent=home)
    study = published(
        CaseStudyPageFactory(
            parent=studies, title=f"{MARK} study", slug=f"{MARK}-study", tags=[f"{MARK}-tag"]
        )
    )
    linking = StandardPageFactory(parent=home, slug="linking", title="Linking")
    linking.body = [
        ("paragraph", RichText(f'<p>See <a linktype="page" id="{study.pk}">the example</a>.</p>'))
    ]
    published(linking)
    synchronize_locale_trees()
    translate_page(study, "de", title=f"{MARK} Studie")
    translate_page(linking, "de", title="Verweise")
    return study.pk, linking.pk


def hide(page, how):
    page = Page.objects.get(pk=page).specific
    if how in ("password", "login"):
        kind = PageViewRestriction.PASSWORD if how == "password" else PageViewRestriction.LOGIN
        PageViewRestriction.objects.create(page=page, restriction_type=kind, password="secret")
    elif how == "unpublished":
        page.unpublish()
    elif how == "scheduled":
        page.unpublish()
        page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
        page.save_revision().publish()
    elif how == "expired":
        page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        page.save_revision().publish()


def study_address(code):
    return f"/{code}/case-studies/{MARK}-study/"


def test_a_link_goes_to_the_version_in_the_visitors_language(client, site_pks):
    for code in LANGUAGES:
        body = client.get(f"/{code}/linking/").content.decode()
        assert f'<a href="{study_address(code)}">the example</a>' in body, code


@pytest.mark.parametrize("how", HOW)
def test_a_link_to_a_hidden_page_keeps_its_text_and_goes_nowhere(client, site_pks, how):
    study, _linking = site_pks
    hide(study, how)
    for code in LANGUAGES:
        body = client.get(f"/{code}/linking/").content.decode()
        assert "See <a>the example</a>." in body, code
        assert f"{MARK}-study" not in body, code


def test_breadcrumbs_and_the_manual_leave_out_an_unpublished_ancestor(client, home):
    book = published(ManualPageFactory(parent=home, slug="manual", title=f"{MARK} book"))
    part = published(ManualChapterPageFactory(parent=book, slug="part", title=f"{MARK} part"))
    published(ManualChapterPageFactory(parent=part, slug="chapter", title="Open chapter"))
    news = published(NewsIndexPageFactory(parent=home, slug="news", title=f"{MARK} news"))
    published(NewsPageFactory(parent=news, slug="item", title="Open item"))
    synchronize_locale_trees()
    chapter, item = "/{}/manual/part/chapter/", "/{}/news/item/"
    shown = client.get(chapter.format("sv")).content.decode()
    assert f"{MARK} part" in shown and f"{MARK} book" in shown  # while they are published
    for page in (part, book, news):
        Page.objects.get(pk=page.pk).specific.unpublish()
    for code in ("en", "sv"):
        for address in (chapter, item):
            response = client.get(address.format(code))
            assert response.status_code == 200  # Wagtail serves a live page under them
            assert f"{MARK} " not in response.content.decode(), address.format(code)


@pytest.mark.parametrize("how", ["login", "unpublished", "scheduled"])
def test_a_redirect_to_a_hidden_page_is_a_404(client, site_pks, how):
    study, _linking = site_pks
    Redirect.objects.create(old_path="/old-example", redirect_page_id=study)
    assert client.get("/old-example")["Location"] == study_address("en")
    hide(study, how)
    # Django's LocaleMiddleware sends an address without a language on to /en/…: a 404 there.
    response = client.get("/old-example", follow=True)
    assert response.status_code == 404
    assert all(MARK not in address for address, _status in response.redirect_chain)
    assert MARK not in response.content.decode()


def test_a_redirect_to_an_address_still_redirects(client, site_pks):
    Redirect.objects.create(old_path="/elsewhere", redirect_link="https://example.org/")
    assert client.get("/elsewhere")["Location"] == "https://example.org/"


@pytest.mark.parametrize("how", ["login", "unpublished", "scheduled"])
def test_a_tag_only_hidden_pages_carry_has_no_page(client, site_pks, how):
    study, _linking = site_pks
    for code in LANGUAGES:
        assert client.get(f"/{code}/tags/{MARK}-tag/").status_code == 200, code
    hide(study, how)
    for code in LANGUAGES:
        response = client.get(f"/{code}/tags/{MARK}-tag/")
        assert response.status_code == 404, code
        assert MARK not in response.content.decode(), code


def test_hiding_a_page_bans_the_pages_that_link_to_it(
    client, site_pks, bans, django_capture_on_commit_callbacks
):
    study, _linking = site_pks
    linking = {code: client.get(f"/{code}/linking/") for code in LANGUAGES}
    other = client.get("/en/case-studies/")  # lists the study: banned by its type
    with django_capture_on_commit_callbacks(execute=True):
        hide(study, "unpublished")
    assert bans and banned(bans, other)
    for code, response in linking.items():
        assert banned(bans, response), code
    assert "." not in bans  # not everything: no menu links to it


def test_hiding_a_page_the_navigation_links_to_bans_every_page(
    client, site_pks, bans, django_capture_on_commit_callbacks
):
    study, _linking = site_pks
    menu = NavigationMenuFactory()
    menu.items = [("link", {"label": "Example", "page": Page.objects.get(pk=study)})]
    with django_capture_on_commit_callbacks(execute=True):  # its own ban sent, and forgotten
        published(menu)
    front = client.get("/en/").content.decode()
    assert f'href="{study_address("en")}">Example' in front
    bans.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hide(study, "unpublished")
    assert "." in bans
