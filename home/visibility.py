"""Who may see a page: the one rule every public surface asks.

A page has up to 24 language versions (the original, its translations and the stand-ins,
wagtail-localize's aliases of an untranslated page), and they share one audience. A version
is visible to an anonymous visitor now when:

1. it is published now: live, and not past its `expire_at` (Wagtail unpublishes an expired
   page when `publish_scheduled` runs; until then the rule already holds it back);
2. its original is published now, by the same test. A stand-in shows its original's text and
   goes live with it, not before: Wagtail marks the aliases of a page live when the page is
   only scheduled (wagtail#11344). A translation goes offline with its original, the page of
   the default language with the same translation key;
3. no view restriction governs it, as Wagtail's `Page.get_view_restrictions` decides for the
   page it serves: a restriction on the page or on any ancestor, where an alias answers to
   its original's restrictions instead of its own. Stock `public()` does not look through
   aliases; `restricted_q` does. Translations carry copies of their original's restrictions
   (`sync_translation_restrictions`), so they are governed through their own tree.

`published_q`, `restricted_q` and `visible_q` are that rule as query conditions on any page
queryset; `visible()` applies it; `is_published()` and `is_visible()` read it for one page.
Nothing else decides who may see a page: serving (a `before_serve_page` hook, then Wagtail's
own restriction check), listings, topic and tag pages, the search index, the API, feeds, the
sitemap and the exports all go through here.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, PageViewRestriction


def _published_here(prefix="", now=None):
    """Live and not expired, for the page at the end of `prefix` (a lookup path)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}live": True}) & (
        Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now})
    )


def published_q(now=None):
    """Rules 1 and 2: the page and its original are published now."""
    now = now or timezone.now()
    original_offline = Page.objects.filter(
        translation_key=OuterRef("translation_key"),
        locale__language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE),
        alias_of__isnull=True,
    ).exclude(_published_here(now=now))
    return (
        _published_here(now=now)
        & (Q(alias_of__isnull=True) | _published_here("alias_of__", now))
        & ~Exists(original_offline)
    )


def restricted_q():
    """Rule 3: a view restriction governs the page, as Wagtail's `get_view_restrictions`
    finds them: on the page or an ancestor that is not an alias, or on the original of the
    page or of an ancestor that is an alias.

    Both conditions start from the restrictions (few) and test whether the page's path
    begins with the restricted page's path (or with the path of one of its aliases).
    """
    own = PageViewRestriction.objects.filter(
        page__alias_of__isnull=True,
        page__path=Substr(OuterRef("path"), 1, Length("page__path")),
    )
    through_alias = PageViewRestriction.objects.filter(
        page__aliases__path=Substr(OuterRef("path"), 1, Length("page__aliases__path")),
    )
    return Q(Exists(own)) | Q(Exists(through_alias))


def visible_q(now=None):
    """The whole rule: published now, with its original, and governed by no restriction."""
    return published_q(now) & ~restricted_q()


def visible(queryset, now=None):
    """Those pages of `queryset` an anonymous visitor may see now."""
    return queryset.filter(visible_q(now))


def is_published(page, now=None):
    """Rules 1 and 2 for one page (whether it may be served at all), in one query."""
    return Page.objects.filter(pk=page.pk).filter(published_q(now)).exists()


def is_visible(page, now=None):
    """The whole rule for one page, in one query."""
    return visible(Page.objects.filter(pk=page.pk), now).exists()


def language_versions(page_ids, descendants=False):
    """The ids of the pages whose visibility a change to these may alter: every language
    version of them (originals, translations, stand-ins), and everything under any of them
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
