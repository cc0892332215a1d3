"""Addresses: the site of a request and the URL of a page, as Wagtail works them out,
remembered per process (home/memo.py).

Pages themselves are found by Wagtail's own routing (`Page.route`, `wagtail.views.serve`).
"""

import copy

from django.db.models import Q
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from home.memo import Memo
from home.visibility import visible

# Sites are set up once and hardly ever change, yet Wagtail looks up the site of every request
# in the database. Its answer is remembered per host and port (home/memo.py), forgotten when
# a Site is saved or deleted. The host is the visitor's to choose: at most 64 are kept.
sites = Memo("sites", size=64)


def site_for_request(request):
    """The request's Site as Wagtail's `Site.find_for_request` finds it, remembered."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    # As Wagtail: the raw host, as ALLOWED_HOSTS is checked elsewhere.
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    site = sites.get(key, lambda: _site_for_hostname(*key))
    # Each request its own instance, so that nothing set on one reaches another.
    request._wagtail_site = copy.copy(site) if site is not None else None
    return request._wagtail_site


def _site_for_hostname(hostname, port):
    try:
        return get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None


# A page's address is Wagtail's to work out (the site root paths, the language prefix, a
# reverse() under that language), asked some fifty times for a listing (cards, the language
# switcher, menus, breadcrumbs; its cost: docs/benchmarks.md, "Measured choices"). Its
# answer depends only on the sites, the page's place in the tree (url_path), the language and
# the request's site, so it is remembered under those, and forgotten when a Site or a site's
# root page is saved or deleted (the site root paths Wagtail reads are those pages'
# translations). A moved or renamed page has a new url_path, so a new entry.
page_urls = Memo("page addresses", size=20_000)


def is_root_page(instance):
    return isinstance(instance, Page) and (instance.depth or 0) <= 2


def page_url(page, request=None):
    """The page's address as Wagtail's `get_url(request)` gives it, remembered."""
    if type(page).get_url_parts is not Page.get_url_parts or not page.url_path:
        return Page.get_url(page, request)  # a page type with addresses of its own
    return _remembered_url(request, page.pk, page.url_path, lambda: page)


def url_of_row(pk, url_path, request=None):
    """`page_url` of a page read as plain values (its id and url_path), as Wagtail gives it for
    a generic page; a Page object is made only where the address is not remembered."""
    return _remembered_url(request, pk, url_path, lambda: Page(id=pk, url_path=url_path))


def _remembered_url(request, pk, url_path, make_page):
    site = site_for_request(request) if request is not None else None
    key = (site.pk if site else None, translation.get_language(), pk, url_path)
    return page_urls.get(key, lambda: Page.get_url(make_page(), request))


def visible_addresses(ids, locale, request=None):
    """{linked page id: the address of its version in `locale`, else of itself}, for the
    pages of `ids` visitors may see (a link to any other goes nowhere): one query, however
    many links. For menus and for links in rich text."""
    if not ids:
        return {}
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    rows = visible(
        Page.objects.filter(Q(pk__in=ids) | Q(locale=locale), translation_key__in=keys)
    ).values_list("pk", "url_path", "translation_key", "locale_id")
    own, translated = {}, {}
    for pk, url_path, key, locale_id in rows:
        if pk in ids:
            own[pk] = (key, pk, url_path)
        if locale_id == locale.pk:
            translated[key] = (pk, url_path)
    addresses = {}
    for pk, (key, *row) in own.items():
        target = translated.get(key, row)
        addresses[pk] = url_of_row(target[0], target[1], request)
    return addresses
