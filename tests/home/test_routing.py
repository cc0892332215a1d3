"""home/routing.py finds the page of a URL as Wagtail would, in fewer queries."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page, Site

from home import routing
from home.i18n import active_locale
from tests.home.test_importer import DATA, run
from tests.utils import translate_page

pytestmark = pytest.mark.django_db


def outcome(result):
    """What a route result says: the page (by type and id) and, for a routable page's
    sub-URL, the view and its arguments."""
    if result is None:
        return None
    page, args, kwargs = result
    if args:
        view, view_args, view_kwargs = args
        args = (view.__func__, view_args, view_kwargs)
    return type(page), page.pk, args, kwargs


def both_ways(language, path):
    with translation.override(language):
        ours = routing.find_page(RequestFactory().get(f"/{language}/{path}"), path)
        wagtails = Page.route_for_request(RequestFactory().get(f"/{language}/{path}"), path)
    return outcome(ours), outcome(wagtails)


def paths_to_try(language):
    """The address of every page of a language tree, a routable page's sub-URLs, and
    addresses that lead nowhere."""
    root = Page.objects.get(depth=2, locale__language_code=language)
    paths = [""]
    for page in root.get_descendants():
        path = page.url_path.removeprefix(root.url_path)
        paths += [path, path + "feed/", path + "feed/atom/", path + "ical/", path + "whole/"]
        paths += [path + "no-such-page/", path + "feed/no-such-page/"]
    return paths + ["no-such-page/", "news/2026/", "a/b/c/d/e/f/"]


def test_every_address_leads_where_wagtail_would_lead(home):
    run(DATA)
    # A translation begun and never published, and a page whose parent is unpublished.
    chapter = Page.objects.get(slug="how", locale__language_code="en")
    translate_page(chapter, "fr", publish=False, title="Comment")
    Page.objects.get(slug="why", locale__language_code="en").specific.unpublish()
    checked = 0
    for language in ("en", "de", "fr", "pl"):
        for path in paths_to_try(language):
            ours, wagtails = both_ways(language, path)
            assert ours == wagtails, (language, path)
            checked += ours is not None
    # The walk met real pages, sub-URLs (feeds, iCalendar, the whole Manual) and 404s alike.
    assert checked > 40


def test_a_deep_page_costs_no_more_queries_than_a_shallow_one(home):
    run(DATA)
    with translation.override("en"):
        active_locale()  # the per-process locale table, loaded once per process
    counts = {}
    for path in ("case-studies/", "manual/why/how/"):
        with translation.override("en"), CaptureQueriesContext(connection) as queries:
            result = routing.find_page(RequestFactory().get(f"/en/{path}"), path)
        assert result is not None and result[0].url_path.endswith(path)
        counts[path] = len(queries)
    # The site (once for the host: remembered after), the walk, the page; and the walk on
    # past the Manual, which has sub-URLs.
    assert counts == {"case-studies/": 3, "manual/why/how/": 3}
    with translation.override("en"), CaptureQueriesContext(connection) as wagtail_queries:
        Page.route_for_request(RequestFactory().get("/en/manual/why/how/"), "manual/why/how/")
    assert counts["manual/why/how/"] < len(wagtail_queries)


def test_the_site_serves_through_the_quick_routing(client, home, monkeypatch):
    run(DATA)
    calls = []
    monkeypatch.setattr(routing, "find_page", lambda *a: calls.append(a) or None)
    assert client.get("/en/case-studies/").status_code == 404  # no page found → 404
    assert calls


def test_paths_deeper_than_the_walk_go_through_wagtail(home, monkeypatch):
    monkeypatch.setattr(routing, "MAX_DEPTH", 1)
    run(DATA)
    ours, wagtails = both_ways("en", "manual/why/how/")
    assert ours == wagtails and ours[0].__name__ == "ManualChapterPage"


def test_the_site_of_a_host_is_looked_up_once_and_forgotten_when_sites_change(home, site):
    run(DATA)

    def find(host="localhost"):
        request = RequestFactory(HTTP_HOST=host).get("/en/case-studies/")
        with translation.override("en"), CaptureQueriesContext(connection) as queries:
            result = routing.find_page(request, "case-studies/")
        return result, request._wagtail_site, len(queries)

    with translation.override("en"):
        active_locale()  # the per-process locale table, loaded once per process
    first, first_site, first_count = find()
    again, again_site, again_count = find()
    assert outcome(first) == outcome(again) and first_site == again_site == site
    assert (first_count, again_count) == (3, 2)  # no query for the site the second time
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


def test_breadcrumbs_follow_the_walk_as_the_tree_has_it(client, home):
    """The trail comes from the pages the routing passed; it is the one the tree gives."""
    run(DATA)
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


def test_the_breadcrumb_costs_no_query_after_the_walk(home):
    from home.templatetags.site_tags import breadcrumb_ancestors

    run(DATA)
    request = RequestFactory().get("/en/manual/why/how/")
    with translation.override("en"):
        page = routing.find_page(request, "manual/why/how/")[0]
    with CaptureQueriesContext(connection) as queries:
        trail = breadcrumb_ancestors({"request": request}, page)
    assert len(queries) == 0
    assert [a.pk for a in trail] == [a.pk for a in page.get_ancestors().filter(depth__gte=2)]
    # Without the walk (another page than the one routed to), the tree is asked.
    other = Page.objects.get(slug="why", locale__language_code="en")
    assert [a.pk for a in breadcrumb_ancestors({"request": request}, other)] == [
        a.pk for a in other.get_ancestors().filter(depth__gte=2)
    ]


def wagtails_url(page, request):
    """Wagtail's own answer, worked out afresh (its site root paths re-read, as a new
    request would)."""
    for cached in ("_wagtail_cached_site_root_paths",):
        if hasattr(request, cached):
            delattr(request, cached)
    return Page.get_url(page, request)


def test_page_addresses_are_wagtails_in_every_language(home):
    """The remembered address of every page, generic or specific, is Wagtail's, from
    requests in two languages."""
    run(DATA)
    pages = list(Page.objects.filter(depth__gte=2, locale__language_code__in=["en", "de", "fr"]))
    pages += [page.specific for page in pages[:30]]
    assert len(pages) > 60
    for language in ("en", "de"):
        with translation.override(language):
            for page in pages:
                request = RequestFactory().get(f"/{language}/")
                assert routing.page_url(page, request) == wagtails_url(page, request), page
                assert page.get_url(request) == routing.page_url(page, request)


def test_a_remembered_address_is_not_worked_out_again(home, monkeypatch):
    run(DATA)
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


def test_addresses_are_forgotten_when_the_sites_change(home, site):
    """A page of another site has an absolute address, with that site's host name: when the
    site is given another name, the remembered address must go with the Site's save."""
    run(DATA)
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


def test_the_address_memo_keeps_a_bounded_number_of_pages(home, monkeypatch):
    run(DATA)
    monkeypatch.setattr(routing.page_urls, "size", 5)
    request = RequestFactory().get("/en/")
    with translation.override("en"):
        for page in Page.objects.filter(depth__gte=2)[:20]:
            routing.page_url(page, request)
            assert len(routing.page_urls.entries) <= 5
