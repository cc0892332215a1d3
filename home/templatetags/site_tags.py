"""Template tags of the shared layout: language switcher, alternates, navigation, footer,
notices and the rendering of StreamField bodies with heading anchors."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from wagtail import hooks

from home.blocks import heading_anchors
from home.languages import formats
from home.languages.i18n import (
    fallback_source,
    home_url,
    language_links,
    language_name,
    language_name_translated,
    request_language_links,
    with_content_language,
    with_revision_owner,
)
from home.menus import menus
from home.models import Footer, NavigationMenu
from home.routing import page_url
from home.taxonomy import tag_names
from home.visibility import published_q

register = template.Library()


def _current_page(context):
    page = context.get("page")
    return page if getattr(page, "translation_key", None) else None


@register.simple_tag(takes_context=True)
def get_language_links(context):
    """Cached per request: the switcher, the <head> alternates and the fallback notice
    share one query."""
    return request_language_links(context["request"], _current_page(context))


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
def language_switcher(context, home_pages=False):
    """The language picker: the languages a page is translated into, then those that would
    show the original's text (in the original's language), each group in settings' order.
    With `home_pages`, every language's home page: the page not found has no address in
    the other languages."""
    current = translation.get_language()
    if home_pages:
        links = language_links(context["request"], home_pages=True)
    else:
        links = get_language_links(context)
    return {
        "translated": [link for link in links if link["translated"]],
        "untranslated": [link for link in links if not link["translated"]],
        "original_name": language_name_translated(settings.LANGUAGE_CODE),
        "current_name": language_name(current),
        "current_code": current,
    }


@register.simple_tag
def locale_home_url():
    return home_url(translation.get_language())


def _other_language(code):
    """The language of a menu, where it is not the page's (the menu is then the default
    language's): what its `lang` attribute says."""
    return code if code and code != translation.get_language() else None


@register.inclusion_tag("includes/navigation.html", takes_context=True)
def main_navigation(context):
    menu = menus(context.get("request"))[NavigationMenu]
    request = context.get("request")
    current = request.path if request else ""
    links = menu["links"]
    for link in links:
        link["is_current"] = current == link["url"]
        link["is_ancestor"] = current.startswith(link["url"]) and not link["is_current"]
    return {"links": links, "menu_lang": _other_language(menu["lang"])}


@register.inclusion_tag("includes/footer.html", takes_context=True)
def site_footer(context):
    footer = menus(context.get("request"))[Footer]
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
def stream_body(context, value, prefix="", demote=0):
    """Render a body StreamField with stable anchors on its headings.

    `demote` moves headings that many levels down (`True`: one), for bodies shown under a
    heading of their own: a chapter of the whole Manual by its level in the book.
    """
    shift = int(demote or 0)
    return {
        "blocks": value,
        "anchors": heading_anchors(value, prefix),
        "levels": {
            block.id: heading_tag(block.value["level"], shift)
            for block in value or []
            if block.block_type == "heading"
        },
        "request": context.get("request"),
    }


@register.filter
def heading_tag(level, shift=0):
    """The heading element of `level` ("h2", or a number) moved `shift` levels down, no
    deeper than h6: `{{ chapter.level|heading_tag:1 }}`."""
    number = int(str(level).lower().lstrip("h")) + int(shift or 0)
    return f"h{min(max(number, 1), 6)}"


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page):
    """The page's ancestors from its language's home page down (the tree's root left out), as
    Wagtail's routing passed them to reach the page, but those not published now: Wagtail
    serves a live page under an unpublished one, whose title visitors may not see. (A
    restricted ancestor governs the page, so whoever sees the page may see it.)

    Each is marked with the language of its title where that is not the page's language (a
    fallback page shows its original's: `content_language`), without asking for revisions.
    """
    ancestors = page.get_ancestors().filter(depth__gte=2).filter(published_q())
    fields = ("id", "depth", "title", "url_path", "alias_of", "locale", "live_revision")
    ancestors = ancestors.only(*fields)
    if page.depth <= 3:  # the home page alone, named "Home" in the visitor's language
        return list(ancestors)
    return with_content_language(with_revision_owner(ancestors))


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


def _differs(code):
    return bool(code) and code != translation.get_language()


@register.simple_tag
def lang_attr(code):
    """` lang="…"` where `code`, the language of an element's text, is not the page's
    language; nothing otherwise: `<h1{% lang_attr lang %}>`."""
    return format_html(' lang="{}"', code) if _differs(code) else ""


@register.simple_tag
def lang_span(text, code):
    """`text`, in a `<span lang="…">` where its language `code` is not the page's language:
    for a title inside interface text (a tag's name in "Tagged “…”", a chapter's title
    in the chapter pager)."""
    if _differs(code):
        return format_html('<span lang="{}">{}</span>', code, text)
    return conditional_escape(text)


@register.simple_tag
def tag_name_lang(tag):
    """The language of the name a tag is shown by (`tag_names`) where it is not the page's:
    the default language's, for a tag with no name in the active language (shown by its own
    name, which editors give in the default language)."""
    if tag is None or tag.slug in tag_names():
        return None
    return settings.LANGUAGE_CODE if _differs(settings.LANGUAGE_CODE) else None


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
    """A result figure in the visitor's number format (CLDR): grouped, at most `decimals`
    places, no trailing zeros (120.5, 50,000, 1.234,5, 50 000)."""
    return formats.format_number(value, decimals)


@register.filter
def money(value, currency="EUR"):
    """An amount in whole units of `currency`, in the visitor's currency format (€50,000,
    50.000 €, € 50.000)."""
    return formats.format_money(value, currency)


@register.filter
def local_date(value, length="long"):
    """A date in the visitor's language (CLDR's long format: February 10, 2027, 10. Februar
    2027); a datetime's date in the current time zone (`{% timezone %}`)."""
    return formats.format_date(value, length)


@register.filter
def local_time(value):
    """A time of day in the visitor's language, in the current time zone (10:00 AM, 10:00)."""
    return formats.format_time(value)


@register.filter
def local_datetime(value, length="long"):
    """A date and time in the visitor's language, in the current time zone (February 10,
    2027, 10:00 AM; 10. Februar 2027, 10:00)."""
    return formats.format_datetime(value, length)
