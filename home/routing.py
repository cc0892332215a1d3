"""Finding the page of a public URL in one query, as Wagtail would find it.

Wagtail walks the tree a level at a time: for /en/manual/strategy/commitment/ that is a query
for the language's home page, then for each level a query for the child with that slug and
another for its specific page. Here the walk down the slugs is one recursive query, then the
page found is loaded once, whatever the depth. The same statement tells whether a view
restriction governs the page, which Wagtail asks of every page it serves: for an open page
(nearly all) that question costs no query more.

The result is Wagtail's own: the walk starts from the site's root page in the active language
(Wagtail's `localized`: its live translation, else the root itself), follows children by
slug, and hands the rest of the path to the deepest page found, whose own `route` decides
(it serves the page if it is live, answers 404 otherwise, or resolves a routable page's
sub-URL). The walk stops at any page whose type has its own `route` (a routable page resolves
its sub-URLs before its children, so it must be asked), and the routing is left to Wagtail when
there is no site or the path is unusually deep.
"""

import copy
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import Resolver404
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.models.sites import get_site_for_hostname

from home.i18n import active_locale, with_revision_owner
from home.memo import Memo

MAX_DEPTH = 12  # levels of slugs walked in SQL; deeper paths go through Wagtail's walk

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
# reverse() under that language): about 0.2 ms, asked some fifty times for a listing (cards,
# the language switcher, menus, breadcrumbs). Its answer depends only on the sites, the page's
# place in the tree (url_path), the language and the request's site, so it is remembered under
# those, and forgotten when a Site or a site's root page is saved or deleted (the site root
# paths Wagtail reads are those pages' translations). A moved or renamed page has a new
# url_path, so a new entry.
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


@cache
def own_routing_types():
    """Content type ids of the page types that route their own sub-URLs."""
    return tuple(
        ContentType.objects.get_for_model(model).pk
        for model in get_page_models()
        if model.route is not Page.route
    )


@cache
def walk_query(steps):
    """The walk down `steps` slugs: the pages passed, from the start to the deepest page
    reached, each with the step it was reached at, what a breadcrumb shows of it, and
    whether any view restriction governs it (see `BasePage.get_view_restrictions`: one on
    the page or an ancestor, an alias answering to its original's instead of its own).

    It starts at the live translation of a page into a locale (translation key and locale
    as the first two parameters), else at the page of the third parameter; the slugs
    follow. It does not walk past a page that routes its own sub-URLs, except within the
    first steps (the last parameter): those its caller has already asked.
    """
    table = connection.ops.quote_name(Page._meta.db_table)
    restrictions = connection.ops.quote_name(PageViewRestriction._meta.db_table)
    slug_at_step = " ".join(f"WHEN {n} THEN %s" for n in range(steps)) or "WHEN 0 THEN NULL"
    stops = ", ".join(str(pk) for pk in own_routing_types()) or "0"
    return f"""
        WITH RECURSIVE walk (id, path, depth, content_type_id, step, title, url_path) AS (
            SELECT id, path, depth, content_type_id, 0, title, url_path FROM {table}
            WHERE id = COALESCE(
                (SELECT id FROM {table}
                 WHERE translation_key = %s AND locale_id = %s AND live),
                %s
            )
            UNION ALL
            SELECT child.id, child.path, child.depth, child.content_type_id, walk.step + 1,
                   child.title, child.url_path
            FROM walk JOIN {table} child
              ON child.slug = (CASE walk.step {slug_at_step} END)
             AND child.depth = walk.depth + 1
             AND SUBSTR(child.path, 1, LENGTH(walk.path)) = walk.path
            WHERE walk.step < {steps}
              AND (walk.step < %s OR walk.content_type_id NOT IN ({stops}))
        )
        SELECT id, content_type_id, step, depth, title, url_path,
               EXISTS (
                   SELECT 1 FROM {restrictions} r JOIN {table} a ON a.id = r.page_id
                   WHERE a.alias_of_id IS NULL
                     AND SUBSTR(walk.path, 1, LENGTH(a.path)) = a.path
               ) OR EXISTS (
                   SELECT 1 FROM {restrictions} r JOIN {table} a ON a.alias_of_id = r.page_id
                   WHERE SUBSTR(walk.path, 1, LENGTH(a.path)) = a.path
               )
        FROM walk ORDER BY step
    """  # noqa: S608 (table names and integers only; the slugs are parameters)


def routes_itself(model, components):
    """Whether a page of this type answers these sub-URL components itself (a routable
    page's own routes come before its children); a page type with any other routing of
    its own is always asked."""
    if not issubclass(model, RoutablePageMixin):
        return True
    try:
        model.get_resolver().resolve("/" + "".join(f"{c}/" for c in components))
    except (Resolver404, Http404):
        return False
    return True


def find_page(request, path):
    """Wagtail's RouteResult for this request and path, or None where nothing is found."""
    site = site_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    if len(components) > MAX_DEPTH:
        return Page.route_for_request(request, path)
    locale = active_locale()
    root = site.root_page
    key = Page._meta.get_field("translation_key").get_db_prep_value(
        root.translation_key, connection
    )
    start = (key, locale.pk if locale else None, root.pk, 0)
    done = 0
    lineage = []  # the pages passed: (id, depth, title, url_path), from the language's root
    while True:
        remaining = components[done:]
        with connection.cursor() as cursor:
            cursor.execute(walk_query(len(remaining)), [*start[:3], *remaining, start[3]])
            rows = cursor.fetchall()
        if not rows:  # the site's root page is gone
            return None
        # A walk on from a routable page starts at that page, already passed.
        lineage += [(row[0], *row[3:6]) for row in rows[1 if lineage else 0 :]]
        page_id, content_type_id, steps = rows[-1][:3]
        restricted = bool(rows[-1][6])
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        remaining = remaining[steps:]
        walked_on = steps > 0 or start[3] == 0
        if (
            remaining
            and walked_on
            and model.route is not Page.route
            and not routes_itself(model, remaining)
        ):
            # A routable page with no sub-URL of that name: on to its children.
            done = len(components) - len(remaining)
            start = (None, None, page_id, 1)
            continue
        page = with_revision_owner(model._default_manager.filter(pk=page_id)).first()
        if page is None:  # deleted since the walk
            return None
        if not restricted:
            # Wagtail asks every page served for its restrictions: none, the walk found.
            page._no_view_restrictions = True
        request._route_lineage = lineage
        try:
            return page.route(request, remaining)
        except Http404:
            return None


def ancestors_for_breadcrumb(request, page):
    """The ancestors of the page served, from the language's home page down, as the walk
    that found it passed them (unsaved Page objects, enough for a link: no query); or None
    where the walk did not find this page from a home page at depth 2 (then ask the tree)."""
    lineage = getattr(request, "_route_lineage", None)
    if not lineage or lineage[-1][0] != page.pk or lineage[0][1] != 2:
        return None
    return [
        Page(id=pk, depth=depth, title=title, url_path=url_path)
        for pk, depth, title, url_path in lineage[:-1]
    ]


def route(request, path):
    """Route this request the quick way and leave the result where Wagtail looks for it."""
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = find_page(request, path)
    return request._wagtail_route_for_request
