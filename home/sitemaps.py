"""The sitemap, on Wagtail's and Django's sitemap framework (`wagtail.contrib.sitemaps`).

`/sitemap.xml` is an index of one sitemap per language, `/sitemap-<language>.xml`, each split
into sections of at most 50,000 addresses (the protocol's limit), `?p=2` and on. A sitemap
lists the page versions of its language that visitors may see (home/visibility.py), each
with its other languages and the original (x-default) as `xhtml:link` alternates. Fallback pages
for untranslated pages are left out: they point to their original with a canonical link.

Wagtail's own sitemap lists the request's site in the active language only; these read each
section's alternates in one query, so a section's queries do not grow with its pages. The
index asks the database for each language's latest change, where Django's default would read
every page of the language to find it.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Max
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from home.languages.i18n import fallback_page_ids, with_revision_owner
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
    language = settings.LANGUAGE_CODE

    def items(self):
        return _versions(Page.objects.filter(locale__language_code=self.language)).order_by("path")

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]

    def _urls(self, page, protocol, domain):
        section = self.paginator.page(page).object_list
        pages = list(section)
        fallbacks = fallback_page_ids(pages)
        pages = [p for p in pages if p.pk not in fallbacks]
        # The other language versions of this section's pages, wherever in the sitemap.
        keys = section.values("translation_key")
        others = list(
            _versions(Page.objects.filter(translation_key__in=keys)).exclude(
                locale__language_code=self.language
            )
        )
        fallbacks |= fallback_page_ids(others)
        groups = defaultdict(list)
        urls = {}
        for version in [*pages, *others]:
            url = version.pk not in fallbacks and version.get_full_url(self.request)
            if url:
                urls[version.pk] = url
                groups[version.translation_key].append((version.locale.language_code, url))
        entries = []
        for item in pages:
            url = urls.get(item.pk)
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
            entries.append(
                {"location": url, "lastmod": item.last_published_at, "alternates": alternates}
            )
        dates = [entry["lastmod"] for entry in entries]
        if dates and None not in dates:
            self.latest_lastmod = max(dates)
        return entries


SITEMAPS = {
    code: type(f"PageSitemap_{code}", (PageSitemap,), {"language": code})
    for code, _name in settings.LANGUAGES
}
