"""Language helpers for templates and views: names, URLs per language, fallbacks."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.models import Page


def language_name(code):
    """The language's name in that language ("Deutsch"), as visitors look for it."""
    return get_language_info(code)["name_local"]


def language_name_translated(code):
    """The language's name in the active interface language ("German" on /en/)."""
    return get_language_info(code)["name_translated"]


def home_url(code):
    """The address of a language's home page."""
    with translation.override(code):
        return reverse("wagtail_serve", args=[""])


def page_translations(page):
    """{language code: live page} for every language this page exists in (aliases included)."""
    found = (
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
        .only("id", "url_path", "locale__language_code", "alias_of_id", "translation_key", "path")
    )
    return {p.locale.language_code: p for p in found}


def language_links(request, page=None):
    """One entry per language for the switcher and the hreflang alternates.

    A page links to its own translation (or its alias, which exists in every synchronised
    language), otherwise to the home page of that language. Other views translate their URL.
    """
    current = translation.get_language()
    translations = page_translations(page) if page is not None else {}
    links = []
    for code, _name in settings.LANGUAGES:
        target = translations.get(code)
        if page is not None:
            url = target.get_url(request) if target is not None else home_url(code)
            translated = target is not None and target.alias_of_id is None
        else:
            url = translate_url(request.path, code)
            translated = True
        links.append(
            {
                "code": code,
                "name": language_name(code),
                "url": url,
                "is_current": code == current,
                # False where the language shows the source as a fallback, or only its home.
                "translated": translated,
            }
        )
    return links


def fallback_source(page):
    """The original a page stands in for when it is an untranslated alias in another language.

    None for real translations and for pages in their own language. Cached on the instance.
    """
    if not getattr(page, "alias_of_id", None):
        return None
    if not hasattr(page, "_fallback_source"):
        source = Page.objects.select_related("locale").filter(pk=page.alias_of_id).first()
        page._fallback_source = source if source and source.locale_id != page.locale_id else None
    return page._fallback_source


def with_content_language(pages):
    """Mark each page of a listing with the language its text is in, where that differs.

    A fallback page (alias) shows its original's text; listings set `lang` from
    `page.content_language`. One query for the whole list, however long.
    """
    pages = list(pages)
    alias_ids = {p.alias_of_id for p in pages if getattr(p, "alias_of_id", None)}
    languages = {}
    if alias_ids:
        languages = dict(
            Page.objects.filter(pk__in=alias_ids).values_list("pk", "locale__language_code")
        )
    current = translation.get_language()
    for page in pages:
        language = languages.get(page.alias_of_id) if page.alias_of_id else None
        page.content_language = language if language != current else None
    return pages
