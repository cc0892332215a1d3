"""The edge cache: what visitors' responses say to a shared cache, and what is purged when.

Responses. Every anonymous GET of a public page or view may be stored by a shared cache
(Varnish, a CDN) for a day, and browsers revalidate it each time; search and autocomplete
for a minute; a 404 or a redirect for a minute. A response that sets a cookie, one for a signed-in
user, the admin, and a page a view restriction governs (Wagtail marks those never-cache) are
not stored. Each stored response carries `X-Cache-Tags`: what it shows, so that a change bans
exactly the responses that show it:

- `path:<tree path>` of the page served; the tags of the pages below it begin with it, so
  one ban by prefix reaches a section and everything under it (breadcrumbs show ancestors);
- `page:<translation key>` of the page and of the pages it names (related, featured): shared
  by every language version of a page;
- `type:<app.model>` on listings of that page type (a case study published, changed or gone
  changes every case study listing, in every language);
- `documents` on a document (Wagtail's document view), which its collection governs;
- `pages` on every other response: what lists pages of every kind (topic and tag pages,
  the sitemap, the API, search) and what may begin to show one (a 404).

A response that shows something due to change at a known time (an upcoming event, which
ends) is stored until then at most (`cache_until`).

Purges. Publishing, unpublishing, moving or deleting a page, or changing a view restriction,
bans the tags of all its language versions once the change is committed, and the `page:`
tags of the pages that link to it (Wagtail's reference index); a page with pages under it
moved or restricted, a link to the page in the navigation or footer, or a snippet saved or
deleted (menus, footer, topics) bans everything, as every page shows them. A translation
turned back into a fallback page bans its versions; an image saved or deleted, the pages
that show it and the listings of their types; a document, or a collection's restriction,
the documents. Bans go to the frontend
caches configured for Wagtail's frontend cache module (`WAGTAILFRONTENDCACHE`, set from
`FRONTEND_CACHE_URL`): `VarnishBackend` (Wagtail's HTTP backend with bans) bans by tag;
another backend (Cloudflare) is asked to purge the addresses of the pages' language
versions. A cache that cannot be reached is logged, never an error for the editor.
"""

import logging
import threading
from urllib.error import URLError
from urllib.parse import urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from django.utils.cache import patch_cache_control
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends, purge_pages_from_cache
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    CollectionViewRestriction,
    DraftStateMixin,
    Page,
    PageViewRestriction,
    ReferenceIndex,
)
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
    published,
    unpublished,
)

from home.visibility import language_versions

logger = logging.getLogger(__name__)

# Where Wagtail serves documents (procura/urls.py), and the tag of those responses.
DOCUMENTS_PATH = "/documents/"
DOCUMENTS_TAG = "documents"
# (app label, model) of the snippets every page shows (the navigation and the footer): a
# change to a page they link to bans everything.
MENU_MODELS = (("home", "navigationmenu"), ("home", "footer"))
SHARED_SECONDS = 24 * 60 * 60  # purged on change, so long
# Browsers ask again each time (the ETag of ConditionalGetMiddleware makes the answer a 304
# when nothing changed): a publish shows to a visitor who saw the page a moment before.
BROWSER_SECONDS = 0
SHORT_SECONDS = 60  # search, autocomplete, 404s, redirects
CACHEABLE = {200: SHARED_SECONDS, 301: SHORT_SECONDS, 302: SHORT_SECONDS, 404: SHORT_SECONDS}
NEVER = ("/admin/", "/_util/", "/health/")
TAGS_HEADER = "X-Cache-Tags"


# --- Responses -------------------------------------------------------------------------


def tag(request, *tags):
    """Say what the response to `request` shows (see the module's docstring)."""
    if request is not None:
        request.cache_tags = getattr(request, "cache_tags", set()) | {t for t in tags if t}


def cache_for(request, seconds):
    """Let the response to `request` be stored by shared caches for this long at most."""
    request.cache_seconds = seconds


def cache_until(request, moments):
    """Let the response to `request` be stored no longer than until the earliest of
    `moments` still to come: what it shows changes then (an event ends, and leaves the
    upcoming ones), with no change for a purge to follow."""
    now = timezone.now()
    coming = [moment for moment in moments if moment is not None and moment > now]
    if coming:
        cache_for(request, max(1, int((min(coming) - now).total_seconds())))


def page_tags(page):
    return (f"path:{page.path}", f"page:{page.translation_key}")


class EdgeCacheMiddleware:
    """Cache-Control and X-Cache-Tags for visitors' responses (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        seconds = CACHEABLE.get(response.status_code)
        if (
            seconds is None
            or request.path.startswith(NEVER)
            or response.cookies
            or (user is not None and user.is_authenticated)
        ):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        seconds = min(seconds, getattr(request, "cache_seconds", seconds))
        patch_cache_control(
            response,
            public=True,
            max_age=min(BROWSER_SECONDS, seconds),
            s_maxage=seconds,
        )
        # What names no page of its own lists pages of every kind (topic and tag pages,
        # the sitemap, the API, search), or may begin to (a 404): banned on any change.
        # A document answers to its collection, not to pages.
        if request.path.startswith(DOCUMENTS_PATH) and response.status_code == 200:
            tags = {DOCUMENTS_TAG}
        else:
            tags = getattr(request, "cache_tags", None) or {"pages"}
        response[TAGS_HEADER] = " ".join(sorted(tags))
        return response


# --- Purges ----------------------------------------------------------------------------


class BanRequest(Request):
    def get_method(self):
        return "BAN"


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP backend (PURGE of an address), and bans of the responses whose tags
    match (deploy/varnish/default.vcl)."""

    def ban(self, pattern):
        request = BanRequest(
            urlunsplit([self.cache_scheme, self.cache_netloc, "/", "", ""]),
            headers={"X-Ban-Tags": pattern},
        )
        try:
            urlopen(request, timeout=5)  # noqa: S310 (the configured cache's address)
        except (URLError, OSError) as err:
            logger.error("Could not ban %s from the frontend cache: %s", pattern, err)


def ban_pattern(paths=(), keys=(), types=(), pages=False, everything=False, tags=()):
    """The regular expression of the tags to ban (matched against X-Cache-Tags), written
    without backslashes or quotes, as Varnish's ban expressions take it."""
    if everything:
        return "."
    alternatives = sorted(tags)
    alternatives += [f"path:{path}[0-9A-Z]*" for path in sorted(paths)]
    alternatives += [f"page:{key}" for key in sorted(map(str, keys))]
    alternatives += [f"type:{label.replace('.', '[.]')}" for label in sorted(types)]
    if pages:
        alternatives.append("pages")
    space = "[[:space:]]"
    return f"(^|{space})({'|'.join(alternatives)})({space}|$)"


_pending = threading.local()


def _queue():
    """This transaction's purges, sent once it commits; None where no cache is configured."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return None
    queue = getattr(_pending, "queue", None)
    if queue is None:
        queue = _pending.queue = {
            "ids": set(),
            "paths": set(),
            "keys": set(),
            "types": set(),
            "tags": set(),
            "everything": False,
        }
    return queue


def _send_on_commit():
    # One callback per change: the first to run after a commit sends everything queued; if
    # a transaction rolls back, its callbacks go with it and the next commit's sends it.
    # Outside a transaction it runs at once.
    transaction.on_commit(_flush)


def purge_pages(page_ids):
    """Once the transaction commits, purge what shows these pages, in all their language
    versions, and what is under them."""
    queue = _queue()
    if queue is not None:
        queue["ids"].update(page_ids)
        _send_on_commit()


def purge_everything():
    queue = _queue()
    if queue is not None:
        queue["everything"] = True
        _send_on_commit()


def _flush():
    queue = getattr(_pending, "queue", None)
    _pending.queue = None
    if not queue:
        return
    ids = language_versions(queue["ids"]) if queue["ids"] else set()
    pages = list(Page.objects.filter(pk__in=ids).select_related("content_type"))
    for page in pages:
        queue["paths"].add(page.path)
        queue["keys"].add(page.translation_key)
        queue["types"].add(f"{page.content_type.app_label}.{page.content_type.model}")
    linking, in_menus = _linking_to(ids)
    queue["everything"] |= in_menus
    queue["keys"].update(page.translation_key for page in linking)
    pattern = ban_pattern(
        queue["paths"],
        queue["keys"],
        queue["types"],
        pages=True,
        everything=queue["everything"],
        tags=queue["tags"],
    )
    backends = get_backends()
    for backend in backends.values():
        if isinstance(backend, VarnishBackend):
            backend.ban(pattern)
    others = [name for name, backend in backends.items() if not isinstance(backend, VarnishBackend)]
    if others and (pages or linking):
        shown = {page.pk: page for page in [*pages, *linking]}.values()
        purge_pages_from_cache([page.specific for page in shown], backends=others)


def _linking_to(page_ids):
    """([the language versions of the pages that link to any of `page_ids`], whether the
    navigation or the footer does), from Wagtail's reference index: a link in rich text or
    a chooser shows the page's address, or nothing once visitors may not see it."""
    if not page_ids:
        return [], False
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.objects.filter(
        to_content_type=page_type, to_object_id__in=[str(pk) for pk in page_ids]
    )
    return _shown_by(references, leave_out=page_ids)


def _shown_by(references, leave_out=()):
    """([the language versions of the pages among the sources of `references`, a queryset
    of Wagtail's reference index], whether the navigation or the footer is one)."""
    page_type = ContentType.objects.get_for_model(Page)
    menu_types = {ContentType.objects.get_by_natural_key(*model).pk for model in MENU_MODELS}
    sources = set(references.values_list("base_content_type_id", "object_id"))
    in_menus = any(kind in menu_types for kind, _pk in sources)
    showing = {int(pk) for kind, pk in sources if kind == page_type.pk} - set(leave_out)
    if not showing:
        return [], in_menus
    keys = Page.objects.filter(pk__in=showing).values("translation_key")
    versions = Page.objects.filter(translation_key__in=keys).select_related("content_type")
    return list(versions), in_menus


def _page_changed(sender, instance, **kwargs):
    purge_pages([instance.pk])


def _page_leaving(sender, instance, **kwargs):
    """A page moved or deleted: what showed it at its old place, found by what it was."""
    queue = _queue()
    if queue is not None and isinstance(instance, Page):
        queue["paths"].add(instance.path)
        queue["keys"].add(instance.translation_key)
        queue["ids"].add(instance.pk)
        # The listings of its type: a deleted page cannot be read once the delete commits.
        content_type = ContentType.objects.get_for_id(instance.content_type_id)
        queue["types"].add(f"{content_type.app_label}.{content_type.model}")
        _send_on_commit()


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _subtree_changed(instance.page)


def _page_moved(sender, instance, **kwargs):
    _subtree_changed(instance)


def _subtree_changed(page):
    """A page restricted or moved, and with it the pages under it: what lists or names any
    of those (listings of their types, pages that link to them, the home page) changes too,
    which the bans of the page's own versions (their paths reach the pages under them) miss.
    A page with pages under it bans everything."""
    if page.numchild:
        purge_everything()
    else:
        purge_pages([page.pk])


def _alias_changed(sender, instance, update_fields=None, raw=False, **kwargs):
    """A translation turned back into a fallback page (wagtail-localize's convert_to_alias
    saves only `alias_of`, and sends `page_published` only where the page was offline): it
    shows its original's text from now on."""
    if not raw and isinstance(instance, Page) and update_fields and "alias_of_id" in update_fields:
        purge_pages([instance.pk])


def _shown_object_changed(sender, instance, raw=False, **kwargs):
    """An image saved or deleted (its file, its focal point, its title): the pages that show
    it (Wagtail's reference index), in every language, and the listings of their types
    (their cards show it). A deleted image is asked before it goes, while its references
    are there."""
    queue = _queue()
    if raw or queue is None:
        return
    pages, in_menus = _shown_by(ReferenceIndex.get_references_to(instance))
    queue["everything"] |= in_menus
    for page in pages:
        queue["keys"].add(page.translation_key)
        queue["types"].add(f"{page.content_type.app_label}.{page.content_type.model}")
    if pages or in_menus:
        _send_on_commit()


def _documents_changed(sender, instance=None, raw=False, **kwargs):
    """A document saved or deleted, or a collection's view restriction changed: the
    documents' responses (tagged `documents`), whose audience the collection decides."""
    queue = _queue()
    if not raw and queue is not None:
        queue["tags"].add(DOCUMENTS_TAG)
        _send_on_commit()


def _snippet_deleted(sender, instance, **kwargs):
    """A snippet with drafts deleted (a topic, an approach, the navigation, the footer):
    Wagtail's delete view sends no `unpublished`."""
    if isinstance(instance, DraftStateMixin) and not isinstance(instance, Page):
        purge_everything()


def _snippet_published(sender, instance, **kwargs):
    if not isinstance(instance, Page):  # menus, the footer, topics: shown on every page
        purge_everything()


def _tag_name_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # tag names show on case studies, listings, tag pages and search
        purge_everything()


def connect():
    uid = "home.cache"
    post_save.connect(_tag_name_changed, sender="home.TagName", dispatch_uid=uid)
    post_delete.connect(_tag_name_changed, sender="home.TagName", dispatch_uid=uid)
    page_published.connect(_page_changed, dispatch_uid=uid)
    page_unpublished.connect(_page_changed, dispatch_uid=uid)
    pre_page_move.connect(_page_leaving, dispatch_uid=uid)
    post_page_move.connect(_page_moved, dispatch_uid=uid)
    post_save.connect(_alias_changed, dispatch_uid=uid + ".alias")
    post_delete.connect(_snippet_deleted, dispatch_uid=uid + ".snippets")
    image_model = get_image_model()
    post_save.connect(_shown_object_changed, sender=image_model, dispatch_uid=uid)
    pre_delete.connect(_shown_object_changed, sender=image_model, dispatch_uid=uid + ".image")
    for model in (get_document_model(), CollectionViewRestriction):
        post_save.connect(_documents_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_documents_changed, sender=model, dispatch_uid=uid)
    pre_delete.connect(_page_leaving, dispatch_uid=uid)
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid)
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid)
    published.connect(_snippet_published, dispatch_uid=uid)
    unpublished.connect(_snippet_published, dispatch_uid=uid)
