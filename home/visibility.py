"""Who may see a page: the one rule every public surface asks.

A page has up to 24 language versions (the original, its translations and the fallback pages,
wagtail-localize's aliases of an untranslated page), and they share one audience: the
original's. The original is the version in the default language that is not a fallback page;
where there is none (a page first written in another language), the first such version made.
A version is visible to an anonymous visitor now when:

1. it is published now: live, and not past its `expire_at` (Wagtail unpublishes an expired
   page when `publish_scheduled` runs; until then the rule already holds it back);
2. its original is published now, by the same test. A fallback page shows its original's text and
   goes live with it, not before: Wagtail marks the aliases of a page live when the page is
   only scheduled (wagtail#11344). A translation goes offline with its original;
3. no view restriction governs it: as Wagtail's `Page.get_view_restrictions` decides for the
   page it serves (a restriction on the page or on any ancestor, where an alias answers to
   its original's restrictions instead of its own), and whatever governs its original
   governs it too, as whatever governs the page an alias shows governs the alias, wherever
   it sits (`BasePage.get_view_restrictions` adds them). The trees of the languages
   can differ: a page moved into a restricted section leaves its versions where they were
   (neither Wagtail nor wagtail-localize moves them), a fallback page turned into a page of
   its own keeps no restriction. Translations also carry copies of their original's
   restrictions (`translations/restrictions.py`), which the admin shows.

`published_q`, `restricted_q` and `visible_q` are that rule as query conditions on any page
queryset; `visible()` applies it; `is_published()` reads rules 1 and 2 for one page, and
`original_of()` finds a page's original. Nothing else decides who may see a page: serving
(a `before_serve_page` hook, then Wagtail's own restriction check), listings, topic and tag
pages, the search index, the API, feeds, the sitemap and the exports all go through here.
"""

from functools import cache

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, PageViewRestriction


def _published_here():
    """Live and not expired (by the database's clock)."""
    return Q(live=True) & (Q(expire_at__isnull=True) | Q(expire_at__gt=Now()))


def default_language():
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def original_q():
    """The page is the original of its language versions: not a fallback page, and in the
    default language or, where no version is, made before every other version that is not a
    fallback page."""
    default = Q(locale__language_code=default_language())
    before_it = Page.objects.filter(
        Q(locale__language_code=default_language()) | Q(pk__lt=OuterRef("pk")),
        translation_key=OuterRef("translation_key"),
        alias_of__isnull=True,
    ).exclude(pk=OuterRef("pk"))
    return Q(alias_of__isnull=True) & (default | ~Exists(before_it))


def original_of(page):
    """The original of `page`'s language versions (perhaps `page` itself), or None."""
    return Page.objects.filter(translation_key=page.translation_key).filter(original_q()).first()


@cache
def published_q():
    """Rules 1 and 2: the page and its original are published now. Built once: the time is
    the database's, at the query."""
    original_offline = (
        Page.objects.filter(translation_key=OuterRef("translation_key"))
        .filter(original_q())
        .exclude(_published_here())
    )
    # The page a fallback page shows, asked only of fallback pages (a join to it would read
    # every page to match the few that are fallback pages).
    alias_of_published = Exists(Page.objects.filter(_published_here(), pk=OuterRef("alias_of")))
    return (
        _published_here()
        & (Q(alias_of__isnull=True) | alias_of_published)
        & ~Exists(original_offline)
    )


def restricted_paths():
    """The paths under which a view restriction governs every page, as Wagtail's
    `get_view_restrictions` finds them in each tree: each restricted page that is not an
    alias (its own restrictions do not govern an alias), and each alias of a restricted page
    (which answers to its original's). Read afresh each time, as Wagtail's own `public()`
    reads the restrictions: one small query, two where there are any."""
    rows = list(PageViewRestriction.objects.values_list("page_id", "page__path", "page__alias_of"))
    if not rows:
        return []
    own = {path for _pk, path, alias_of in rows if alias_of is None}
    aliases = Page.objects.filter(alias_of__in={pk for pk, _path, _alias_of in rows})
    return sorted(own | set(aliases.values_list("path", flat=True)))


def restricted_q():
    """Rule 3: a view restriction governs the page: its path begins with a restricted path,
    or its original's does, or, for an alias, the page it shows is governed (subqueries: the
    trees of the languages can differ, and an alias made by copying has a key of its own)."""
    paths = restricted_paths()
    if not paths:
        return Q(pk__in=[])  # nothing, where nothing is restricted
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    governed_originals = Page.objects.filter(under).filter(original_q())
    governed = under | Q(translation_key__in=governed_originals.values("translation_key"))
    return governed | Q(alias_of__in=Page.objects.filter(governed).values("pk"))


def visible_q():
    """The whole rule: published now, with its original, and governed by no restriction."""
    return published_q() & ~restricted_q()


def visible(queryset):
    """Those pages of `queryset` an anonymous visitor may see now."""
    return queryset.filter(visible_q())


def is_published(page):
    """Rules 1 and 2 for one page (whether it may be served at all), in one query."""
    return Page.objects.filter(pk=page.pk).filter(published_q()).exists()


def language_versions(page_ids, descendants=False):
    """The ids of the pages whose visibility a change to these may alter: every language
    version of them (originals, translations, fallback pages), and everything under any of them
    where `descendants` (a view restriction governs a whole section)."""
    keys = Page.objects.filter(pk__in=page_ids).values("translation_key")
    versions = Page.objects.filter(translation_key__in=keys)
    if descendants:
        paths = list(versions.values_list("path", flat=True))
        if not paths:
            return set()
        within = Q()
        for path in paths:
            within |= Q(path__startswith=path)
        versions = Page.objects.filter(within)
    return set(versions.values_list("pk", flat=True))
