"""The sitemap, on Wagtail's and Django's sitemap framework (`wagtail.contrib.sitemaps`).

`/sitemap.xml` is an index of sections of at most 50,000 addresses each (the protocol's
limit; 24 languages reach it at about 2,100 pages each), `/sitemap-pages.xml?p=N`. A section
lists every page version visitors may see (home/visibility.py), with its other languages and
the original (x-default) as `xhtml:link` alternates. Stand-ins for untranslated pages are
left out: they point to their original with a canonical link instead.

Wagtail's own sitemap lists the request's site in the active language; this one lists every
language, and reads each section's alternates in one query, so the queries of a section do
not grow with the number of pages in it.
"""

from collections import defaultdict

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from home.i18n import pages_standing_in, with_revision_owner
from home.visibility import visible

FIELDS = ("id", "url_path", "translation_key", "alias_of_id", "live_revision_id", "locale_id")


def _versions(queryset):
    """Page versions visitors may see, as plain pages with what a sitemap entry needs."""
    return with_revision_owner(
        visible(queryset.filter(depth__gt=1, alias_of__isnull=True))
        .select_related("locale")
        .only(*FIELDS, "locale__language_code", "last_published_at", "path", "depth")
    )


class PageSitemap(Sitemap):
    limit = 50_000

    def items(self):
        return _versions(Page.objects.all()).order_by("path")

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        standing = pages_standing_in(pages)
        pages = [p for p in pages if p.pk not in standing]
        keys = {p.translation_key for p in pages}
        # Every language version of this section's pages, wherever in the sitemap it is.
        versions = list(_versions(Page.objects.filter(translation_key__in=keys)))
        shown = set(pages_standing_in(versions))
        groups = defaultdict(list)
        for version in versions:
            url = version.pk not in shown and version.get_full_url(self.request)
            if url:
                groups[version.translation_key].append((version.locale.language_code, url))
        urls = []
        for item in pages:
            url = item.get_full_url(self.request)
            if not url:
                continue
            alternates = sorted(groups[item.translation_key])
            if len(alternates) > 1:
                default = dict(alternates).get(settings.LANGUAGE_CODE)
                alternates = [{"lang_code": code, "location": href} for code, href in alternates]
                if default:
                    alternates.append({"lang_code": "x-default", "location": default})
            else:
                alternates = []
            urls.append(
                {"location": url, "lastmod": item.last_published_at, "alternates": alternates}
            )
        dates = [u["lastmod"] for u in urls]
        if dates and None not in dates:
            self.latest_lastmod = max(dates)
        return urls


SITEMAPS = {"pages": PageSitemap}
