"""Language helpers for templates and views: names, URLs per language, fallbacks."""

from django.conf import settings
from django.db.models import F
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from home.memo import Memo
from home.routing import url_of_row
from home.visibility import visible


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
    """{language code: (id, url_path, is fallback page)} of every page in this page's
    translation set (fallback pages included) that visitors may see, in one query."""
    found = list(
        with_revision_owner(visible(Page.objects.filter(translation_key=page.translation_key)))
        .annotate(language_code=F("locale__language_code"))
        .only("id", "url_path", "alias_of_id", "locale_id", "live_revision_id")
    )
    fallbacks = fallback_page_ids(found)
    for row in found:
        if row.pk == page.pk and (row.live_revision_id, row.alias_of_id) == (
            page.live_revision_id,
            page.alias_of_id,
        ):
            # The page's own answer for `is_fallback_page`, which need not ask again.
            state = (page.live_revision_id, page.alias_of_id)
            page._is_fallback_page = (state, page.pk in fallbacks)
    return {p.language_code: (p.pk, p.url_path, p.pk in fallbacks) for p in found}


def language_links(request, page=None, home_pages=False):
    """One entry per language for the switcher, the hreflang alternates and the notices.

    A page links to its own translation (or its fallback page, which exists in every
    synchronised language), otherwise to the home page of that language; `translated` is
    False for the languages that would show the original's text (or only their home page).
    Other views translate their URL; with `home_pages`, every language's home page (none
    of them the current page).
    """
    current = translation.get_language()
    translations = page_translations(page) if page is not None else {}
    links = []
    for code, _name in settings.LANGUAGES:
        target = translations.get(code)
        if page is not None:
            url = url_of_row(target[0], target[1], request) if target else home_url(code)
            translated = target is not None and not target[2]
        else:
            url = home_url(code) if home_pages else translated_path(request.path, code)
            translated = True
        links.append(
            {
                "code": code,
                "name": language_name(code),
                "url": url,
                "is_current": code == current and not home_pages,
                "translated": translated,
            }
        )
    return links


def request_language_links(request, page=None):
    """`language_links` of the page a request shows, worked out once a request: the
    switcher, the alternates and the fallback notice share it."""
    key = getattr(page, "pk", None)
    known = getattr(request, "_language_links", None)
    if known is None or known[0] != key:
        known = (key, language_links(request, page))
        request._language_links = known
    return known[1]


# Views that are not pages (search, say) link to their own address in each language: Django's
# translate_url, which resolves the path in the active language and reverses it in the other,
# 24 times a page. The answer depends on the URL patterns, the path and the active language;
# the paths are the visitors' to choose, so at most 2,000 are kept.
translated_paths = Memo("translated paths", size=2_000)


def translated_path(path, code):
    """The address of this path's view in another language (Django's `translate_url`)."""
    key = (translation.get_language(), path, code)
    return translated_paths.get(key, lambda: translate_url(path, code))


def is_fallback_page(page):
    """True when a page shows its original's text for want of a published translation.

    Remembered on the instance (a page's notices, `lang` and canonical address all ask),
    for as long as its live revision and alias link are those it was worked out for.
    """
    if getattr(page, "_shows_own_text", False):  # a preview of its draft
        return bool(page.alias_of_id)
    state = (page.live_revision_id, page.alias_of_id)
    known = getattr(page, "_is_fallback_page", None)
    if known is None or known[0] != state:
        known = (state, page.pk in fallback_page_ids([page]))
        page._is_fallback_page = known
    return known[1]


def shows_own_text(page):
    """Take this instance for what it shows itself, whatever was published: a preview shows
    the page's own draft (a translation under review, never published yet, included), not
    its original's text in its stead. Only an alias still shows its original's."""
    page._shows_own_text = True


def fallback_page_ids(pages):
    """The ids of those pages that show their original's text, in one query at most (none for
    pages read `with_revision_owner`).

    That is an alias (wagtail-localize's fallback page for an untranslated page), or a translation
    begun but never published: its row still holds the original's text (translations/drafts.py
    keeps drafts off it) and its live revision, copied over from the alias, is the original's.
    """
    from wagtail.models import Revision

    default_id = default_locale().pk
    fallbacks = {p.pk for p in pages if getattr(p, "alias_of_id", None)}
    candidates = [
        p
        for p in pages
        if p.pk not in fallbacks and getattr(p, "locale_id", default_id) != default_id
    ]
    owners = {p.live_revision_id: p.live_revision_owner for p in candidates if _owner_read(p)}
    revision_ids = {p.live_revision_id for p in candidates if p.live_revision_id} - set(owners)
    if revision_ids:
        owners.update(Revision.objects.filter(pk__in=revision_ids).values_list("pk", "object_id"))
    for page in candidates:
        if not page.live_revision_id or owners.get(page.live_revision_id) != str(page.pk):
            fallbacks.add(page.pk)
    return fallbacks


def with_revision_owner(queryset):
    """Pages read with the owner of their live revision (the page it was made for), which
    `fallback_page_ids` then needs no query for: a join by primary key."""
    return queryset.annotate(
        live_revision_owner=F("live_revision__object_id"), live_revision_read=F("live_revision")
    )


def _owner_read(page):
    """Whether the page was read `with_revision_owner`, its live revision unchanged since."""
    read = getattr(page, "live_revision_read", None)
    return read is not None and read == page.live_revision_id


# Locales are created at set-up and hardly ever change, yet public pages ask for them a dozen
# times a request: the whole table is remembered (home/memo.py), read again on a miss, and
# forgotten when a Locale is saved or deleted.
locales = Memo("locales")


def locale_for(code):
    """The Locale of a content language code, or None."""
    table = locales.get("by code", _locales_by_code)
    if code not in table:  # a language added since, perhaps
        locales.forget()
        table = locales.get("by code", _locales_by_code)
    return table.get(code)


def _locales_by_code():
    from wagtail.models import Locale

    return {locale.language_code: locale for locale in Locale.objects.all()}


def default_locale():
    return locale_for(get_supported_content_language_variant(settings.LANGUAGE_CODE))


def active_locale():
    """The Locale of the active language (as Wagtail's Locale.get_active), else the default."""
    try:
        code = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return default_locale()
    return locale_for(code) or default_locale()


def fallback_source(page):
    """The original whose text a fallback page shows, or None for any other page. Cached on
    the instance."""
    if not is_fallback_page(page):
        return None
    if not hasattr(page, "_fallback_source"):
        if page.alias_of_id:
            source = Page.objects.select_related("locale").filter(pk=page.alias_of_id).first()
        else:
            source = (
                Page.objects.select_related("locale")
                .filter(translation_key=page.translation_key, locale=default_locale())
                .first()
            )
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
    original = settings.LANGUAGE_CODE
    fallbacks = fallback_page_ids(pages)
    for page in pages:
        language = None
        if page.alias_of_id:
            language = languages.get(page.alias_of_id)
        elif page.pk in fallbacks:
            language = original
        page.content_language = language if language != current else None
    return pages


def language_name_english(code):
    return get_language_info(code)["name"]
