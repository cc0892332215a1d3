"""Template tags of the shared layout: language switcher, alternates, navigation, footer,
notices and the rendering of StreamField bodies with heading anchors."""

import json
from functools import cache

from django import template
from django.conf import settings
from django.db import connection
from django.utils import translation
from wagtail import hooks
from wagtail.models import Page

from home.blocks import heading_anchors
from home.i18n import (
    active_locale,
    default_locale,
    fallback_source,
    home_url,
    language_links,
    language_name,
)
from home.models import Footer, NavigationMenu
from home.routing import page_url, url_of_row

register = template.Library()


def _current_page(context):
    page = context.get("page")
    return page if getattr(page, "translation_key", None) else None


@register.simple_tag(takes_context=True)
def get_language_links(context):
    """Cached per request: the switcher and the <head> alternates share one query."""
    request = context["request"]
    cache = getattr(request, "_language_links", None)
    if cache is None:
        cache = language_links(request, _current_page(context))
        request._language_links = cache
    return cache


@register.inclusion_tag("includes/alternates.html", takes_context=True)
def alternate_links(context):
    """hreflang alternates to the real translations, x-default, and a canonical address.

    Fallback pages (aliases of an untranslated page) are not alternates: they do not carry
    that language; their canonical address is the original's.
    """
    request = context["request"]
    page = _current_page(context)
    links = get_language_links(context)
    alternates = [link for link in links if link["translated"]]
    default = next((link for link in links if link["code"] == settings.LANGUAGE_CODE), None)
    canonical = request.path
    source = fallback_source(page) if page is not None else None
    if source is not None:
        canonical = page_url(source, request) or canonical
    return {
        "alternates": [
            {**link, "href": request.build_absolute_uri(link["url"])} for link in alternates
        ],
        "x_default": request.build_absolute_uri(default["url"]) if default else None,
        "canonical": request.build_absolute_uri(canonical),
        "noindex": bool(context.get("noindex")),
    }


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    current = translation.get_language()
    return {
        "links": get_language_links(context),
        "current_name": language_name(current),
        "current_code": current,
    }


@register.simple_tag
def locale_home_url():
    return home_url(translation.get_language())


MENU_LINKS = {NavigationMenu: "items", Footer: "links"}  # the stream of links of each menu


# Every public page shows both menus, so their two statements are written out once here:
# Django takes several times longer to build them from querysets than the database takes
# to answer them.
@cache
def _menus_statement():
    """The live navigation menus and footers of two languages: (menu's position in
    MENU_LINKS, id, locale id, its stream of links as JSON text, the footer's about text)."""
    quote = connection.ops.quote_name
    parts = []
    for position, (model, field) in enumerate(MENU_LINKS.items()):
        about = quote(model._meta.get_field("about").column) if model is Footer else "''"
        stream = quote(model._meta.get_field(field).column)
        parts.append(
            f"SELECT {position}, id, locale_id, CAST({stream} AS TEXT), {about}"  # noqa: S608
            f" FROM {quote(model._meta.db_table)} WHERE live AND locale_id IN (%s, %s)"
        )
    return " UNION ALL ".join(parts)


@cache
def _linked_pages_statement(count):
    """The pages of `count` ids and their translations into one language: (id, url_path,
    translation key, locale id), through the index on translation keys."""
    pages = connection.ops.quote_name(Page._meta.db_table)
    ids = ", ".join(["%s"] * count)
    return (
        f"SELECT id, url_path, translation_key, locale_id FROM {pages}"  # noqa: S608
        f" WHERE translation_key IN (SELECT translation_key FROM {pages} WHERE id IN ({ids}))"
        f" AND (id IN ({ids}) OR locale_id = %s)"
    )


def _run(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _menus(context):
    """The navigation menu and the footer of this request's language, ready to show.

    Each menu is the live one of the visitor's language, else of the default language (the
    first made, where a language has more than one). Each link goes to the page in the
    visitor's language where there is one. Two queries at most, however many links: one
    for both menus, one for their linked pages and the translations of those. Worked out
    once per request.
    """
    request = context.get("request")
    if request is not None and hasattr(request, "_menus"):
        return request._menus
    active, default = active_locale(), default_locale()
    codes = {active.pk: active.language_code, default.pk: default.language_code}
    first = {}
    models = list(MENU_LINKS)
    for position, pk, locale_id, stream, text in _run(
        _menus_statement(), [active.pk, default.pk] * len(models)
    ):
        model = models[position]
        if (model, locale_id) not in first or pk < first[model, locale_id][0]:
            first[model, locale_id] = (pk, locale_id, stream, text)
    chosen = {}
    for model in MENU_LINKS:
        row = first.get((model, active.pk)) or first.get((model, default.pk))
        chosen[model] = row and {
            "lang": codes[row[1]],
            "about": row[3],
            "links": [block["value"] for block in json.loads(row[2] or "[]")],
        }
    raw = {model: menu["links"] if menu else [] for model, menu in chosen.items()}
    ids = {value.get("page") for values in raw.values() for value in values}
    ids = {pk for pk in ids if isinstance(pk, int)}
    by_id, translated = {}, {}
    if ids:
        listed = sorted(ids)
        found = _run(_linked_pages_statement(len(listed)), [*listed, *listed, active.pk])
        for pk, url_path, key, locale_id in found:
            if pk in ids:
                by_id[pk] = (pk, url_path, key)
            if locale_id == active.pk:
                translated[key] = (pk, url_path, key)
    menus = {}
    for model, values in raw.items():
        links = []
        for value in values:
            url = value.get("url") or ""
            page = by_id.get(value.get("page"))
            if page is not None:
                pk, url_path, _key = translated.get(page[2], page)
                url = url_of_row(pk, url_path, request) or url
            if url:
                links.append({"label": value.get("label", ""), "url": url})
        menu = chosen[model] or {}
        menus[model] = {"links": links, "lang": menu.get("lang"), "about": menu.get("about")}
    if request is not None:
        request._menus = menus
    return menus


def _other_language(code):
    """The language of a menu, where it is not the page's (the menu is then the default
    language's): what its `lang` attribute says."""
    return code if code and code != translation.get_language() else None


@register.inclusion_tag("includes/navigation.html", takes_context=True)
def main_navigation(context):
    menu = _menus(context)[NavigationMenu]
    request = context.get("request")
    current = request.path if request else ""
    links = menu["links"]
    for link in links:
        link["is_current"] = current == link["url"]
        link["is_ancestor"] = current.startswith(link["url"]) and not link["is_current"]
    return {"links": links, "menu_lang": _other_language(menu["lang"])}


@register.inclusion_tag("includes/footer.html", takes_context=True)
def site_footer(context):
    footer = _menus(context)[Footer]
    return {
        "about": footer["about"],
        "links": footer["links"],
        "footer_lang": _other_language(footer["lang"]),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def page_notices(context):
    """Notices about the page shown (e.g. "not yet translated"), from every app's hook."""
    request = context.get("request")
    page = _current_page(context)
    if page is None:
        return []
    notices = []
    for provider in hooks.get_hooks("procura_page_notices"):
        notices.extend(provider(request, page) or [])
    return notices


@register.inclusion_tag("includes/stream_body.html", takes_context=True)
def stream_body(context, value, prefix="", demote=False):
    """Render a body StreamField with stable anchors on its headings.

    `demote` moves headings one level down, for bodies shown under a heading of their own.
    """
    return {
        "blocks": value,
        "anchors": heading_anchors(value, prefix),
        "demote": demote,
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page):
    """The page's ancestors from its language's home page down (the tree's root left out), as
    Wagtail's routing passed them to reach the page."""
    return list(page.get_ancestors().filter(depth__gte=2).only("id", "depth", "title", "url_path"))


@register.simple_tag(takes_context=True)
def url_of(context, page):
    """`pageurl` for any page object, generic ones included (home/routing.py: page_url)."""
    return page_url(page, context.get("request"))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def content_lang(page):
    """The language of the text shown on a page: its source's where it is a fallback."""
    source = fallback_source(page) if page is not None else None
    return source.locale.language_code if source is not None else translation.get_language()


@register.simple_tag
def elided_pages(page_obj):
    """Page numbers around the current one, with the first and last, gaps as None."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    ]


@register.filter
def figure(value, decimals=2):
    """A result figure in the visitor's number format: grouped, at most `decimals` places,
    no trailing zeros (120.5, 50 000, 1.234,5)."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(decimals)))
    except (InvalidOperation, ValueError):
        return value
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number, use_l10n=True, force_grouping=True)
