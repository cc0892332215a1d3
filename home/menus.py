"""The main navigation and the footer of each language, ready to show.

Every public page shows both. They are worked out with the ORM once per site and language
and kept in Django's cache (local memory by default, Redis or files in production, shared by
the workers) under a generation (home/memo.py) that a change bumps once it commits: a menu or
footer saved or deleted; a page published, unpublished, moved or deleted, or its view
restriction changed (a link's address, its translation, whether it may be shown); a site or
a language changed.

Each menu is the live one of the visitor's language, else of the default language (the first
made, where a language has more than one). Each link goes to the linked page's version in the
visitor's language where visitors may see one, else to the page itself; a link to a page no
visitor may see is left out. An address of this site that starts with a language
("/en/topics/", a view that is not a page) goes to the same view in the visitor's language
("/de/topics/", Django's `translate_url`); other addresses are shown as they are.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.languages.i18n import active_locale, default_locale, translated_path
from home.memo import Generation
from home.models import Footer, NavigationMenu
from home.models.snippets import validate_link_address
from home.routing import site_for_request, visible_addresses

MENU_LINKS = {NavigationMenu: "items", Footer: "links"}  # the stream of links of each menu
KEPT_SECONDS = 24 * 60 * 60
changes = Generation("menus")
logger = logging.getLogger(__name__)


def menus(request):
    """{NavigationMenu: menu, Footer: menu} of the request's site and language, each
    {"links": [{"label", "url"}], "lang": the menu's language, "about": the footer's text}.
    Worked out once per request at most, and once per change from the cache."""
    if request is not None and hasattr(request, "_menus"):
        return request._menus
    site = site_for_request(request) if request is not None else None
    key = f"menus:{site.pk if site else 0}:{translation.get_language()}"
    try:
        found = cache.get_many([changes.key, key])
    except Exception:  # a cache that cannot be reached: worked out each time
        logger.warning("The cache could not be read for the menus")
        found = {}
    generation = found.get(changes.key, 0)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        value = stored[1]
    else:
        value = work_out(request)
        try:
            cache.set(key, (generation, value), timeout=KEPT_SECONDS)
        except Exception:
            logger.warning("The cache could not keep the menus")
    if request is not None:
        request._menus = value
    return value


def work_out(request):
    active, default = active_locale(), default_locale()
    chosen = {}
    for model in MENU_LINKS:
        rows = model.objects.filter(live=True, locale__in=[active, default]).order_by("pk")
        first = {}
        for row in rows.select_related("locale"):
            first.setdefault(row.locale_id, row)
        chosen[model] = first.get(active.pk) or first.get(default.pk)
    raw = {
        model: [item["value"] for item in getattr(menu, field).raw_data] if menu else []
        for model, field in MENU_LINKS.items()
        for menu in [chosen[model]]
    }
    linked = {v.get("page") for values in raw.values() for v in values}
    addresses = visible_addresses({pk for pk in linked if isinstance(pk, int)}, active, request)
    result = {}
    for model, values in raw.items():
        links = []
        for value in values:
            page = value.get("page")
            url = addresses.get(page) if page else _checked(value.get("url") or "")
            if url:
                links.append({"label": value.get("label", ""), "url": url})
        menu = chosen[model]
        result[model] = {
            "links": links,
            "lang": menu.locale.language_code if menu else None,
            "about": getattr(menu, "about", None),
        }
    return result


def _checked(url):
    """A menu's own address in the active language, or "" where it is not one a link may
    have (`validate_link_address`): the admin's form checks it, but a translator's override
    of a link's address (wagtail-localize's) is stored unchecked, and a `javascript:` one
    would run on every page of that language."""
    try:
        validate_link_address(url)
    except ValidationError:
        return ""
    return in_language(url)


def in_language(url, code=None):
    """An address of this site in one language ("/en/topics/") as the same view's address in
    `code`, by default the active language ("/de/topics/"); any other address as it is."""
    code = code or translation.get_language()
    prefix = url.split("/", 2)[1] if url.startswith("/") and url.count("/") > 1 else ""
    if prefix == code or prefix not in dict(settings.LANGUAGES):
        return url
    with translation.override(prefix):  # Django resolves a path in the active language
        return translated_path(url, code)


def _page_or_restriction(sender, instance=None, **kwargs):
    if instance is None or isinstance(instance, (Page, PageViewRestriction)):
        changes.bump_on_commit()


def connect():
    uid = "home.menus"
    for model in (*MENU_LINKS, Site, Locale, PageViewRestriction):
        post_save.connect(changes.bump_on_commit, sender=model, dispatch_uid=uid)
        post_delete.connect(changes.bump_on_commit, sender=model, dispatch_uid=uid)
    post_delete.connect(_page_or_restriction, dispatch_uid=uid + ".pages")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(changes.bump_on_commit, dispatch_uid=uid)
