"""home/routing.py: the site of a request and the addresses of pages, as Wagtail has them;
Wagtail's own routing serves the pages, with breadcrumbs as the tree has them."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page, Site

from home import routing
from tests.importer.test_importer import DATA, run
from tests.utils import module_data

pytestmark = pytest.mark.django_db


@module_data
def imported():
    """The importer's sample content in the language trees, imported once for the module."""
    run(DATA)


def test_the_site_of_a_host_is_looked_up_once_and_forgotten_when_sites_change(imported, home, site):

    def find(host="localhost"):
        request = RequestFactory(HTTP_HOST=host).get("/en/case-studies/")
        with CaptureQueriesContext(connection) as queries:
            found = routing.site_for_request(request)
        assert Site.find_for_request(request) is found  # Wagtail takes it from the request
        return None, found, len(queries)

    _, first_site, first_count = find()
    _, again_site, again_count = find()
    assert first_site == again_site == site
    assert (first_count, again_count) == (1, 0)  # no query for the site the second time
    assert again_site is not first_site  # each request has its own instance

    # A host without a site of its own has the default site, until it is given one: that
    # takes over at once (the memo is forgotten on save), and is gone once deleted.
    assert find("members.example")[1] == site
    other_root = Page.objects.get(depth=2, locale__language_code="en").add_child(
        instance=Page(title="Other", slug="other-root")
    )
    other = Site.objects.create(hostname="members.example", port=80, root_page=other_root)
    assert find("members.example")[1] == other
    assert find()[1] == site
    other.delete()
    assert find("members.example")[1] == site


def test_the_site_memo_keeps_a_bounded_number_of_hosts(home, monkeypatch):
    monkeypatch.setattr(routing.sites, "size", 3)
    for n in range(10):
        routing.site_for_request(RequestFactory(HTTP_HOST=f"host{n}.example").get("/"))
        assert len(routing.sites.entries) <= 3


def breadcrumb_trail(html):
    nav = html.split('<nav class="breadcrumbs', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>', nav)


def test_breadcrumbs_follow_the_tree(imported, client, home):
    checked = 0
    for language in ("en", "de"):
        root = Page.objects.get(depth=2, locale__language_code=language)
        for page in root.get_descendants().live().specific():
            response = client.get(page.url)
            if response.status_code != 200 or b'class="breadcrumbs' not in response.content:
                continue
            expected = [
                (a.url, "Home" if a.depth == 2 else a.title)
                for a in page.get_ancestors().filter(depth__gte=2)
            ]
            with translation.override(language):
                home_label = translation.gettext("Home")
            expected = [(url, home_label if title == "Home" else title) for url, title in expected]
            assert breadcrumb_trail(response.content.decode()) == [
                *expected,
                (page.url, page.title),
            ], page.url
            checked += 1
    assert checked >= 20  # pages of both languages, chapters two levels down included


def wagtails_url(page, request):
    """Wagtail's own answer, worked out afresh (its site root paths re-read, as a new
    request would)."""
    for cached in ("_wagtail_cached_site_root_paths",):
        if hasattr(request, cached):
            delattr(request, cached)
    return Page.get_url(page, request)


def test_page_addresses_are_wagtails_in_every_language(imported, home):
    """The remembered address of every page, generic or specific, is Wagtail's, from
    requests in two languages."""
    pages = list(Page.objects.filter(depth__gte=2, locale__language_code__in=["en", "de", "fr"]))
    pages += [page.specific for page in pages[:30]]
    assert len(pages) > 60
    for language in ("en", "de"):
        with translation.override(language):
            for page in pages:
                request = RequestFactory().get(f"/{language}/")
                assert routing.page_url(page, request) == wagtails_url(page, request), page
                assert page.get_url(request) == routing.page_url(page, request)


def test_a_remembered_address_is_not_worked_out_again(imported, home, monkeypatch):
    page = Page.objects.get(slug="manual", locale__language_code="de")
    request = RequestFactory().get("/de/")
    with translation.override("de"):
        first = routing.page_url(page, request)
        asked = []
        original = Page.get_url_parts
        monkeypatch.setattr(
            Page, "get_url_parts", lambda self, request=None: asked.append(self) or original(self)
        )
        assert routing.page_url(page, request) == first == "/de/manual/"
        assert asked == []
        # A renamed page has a new url_path: its new address is worked out at once.
        page.slug = "handbuch"
        page.save()
        page.refresh_from_db()
        assert routing.page_url(page, request) == "/de/handbuch/"
        assert asked == [page]


def test_addresses_are_forgotten_when_the_sites_change(imported, home, site):
    """A page of another site has an absolute address, with that site's host name: when the
    site is given another name, the remembered address must go with the Site's save."""
    other_root = Page.get_first_root_node().add_child(
        instance=Page(title="Members", slug="members-root")
    )
    page = other_root.add_child(instance=Page(title="Welcome", slug="welcome"))
    other = Site.objects.create(hostname="members.example", port=80, root_page=other_root)

    def both():
        request = RequestFactory().get("/en/")  # from the default site
        with translation.override("en"):
            return routing.page_url(page, request), wagtails_url(page, request)

    assert both() == ("http://members.example/en/welcome/",) * 2
    other.hostname = "network.example"
    other.save()
    assert both() == ("http://network.example/en/welcome/",) * 2


def test_the_address_memo_keeps_a_bounded_number_of_pages(imported, home, monkeypatch):
    monkeypatch.setattr(routing.page_urls, "size", 5)
    request = RequestFactory().get("/en/")
    with translation.override("en"):
        for page in Page.objects.filter(depth__gte=2)[:20]:
            routing.page_url(page, request)
            assert len(routing.page_urls.entries) <= 5
