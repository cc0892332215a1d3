"""wagtail-localize's copy of view restrictions onto a translation, replaced by this project's
(translations/restrictions.py, `sync_restrictions`).

Upstream's `TranslationSource.sync_view_restrictions` leaves the groups out of a new copy,
overwrites the translation's first restriction and removes every restriction of a translation
whose original has none, an editor's own included. For pages, the replacement copies the
original's restrictions whole and records each copy; anything else goes to upstream's method
(which refuses it with its own error).

Written for wagtail-localize 1.14's method (its digest, checked as the site starts:
home/upstream.py); tests/translations/test_restriction_sync.py calls upstream's own method and
fails once upstream keeps groups and an editor's own restrictions itself.
"""

from wagtail.models import Page

from home.upstream import written_for
from translations.restrictions import sync_restrictions

# The digest of the source of upstream's `TranslationSource.sync_view_restrictions`.
UPSTREAM_DIGEST = "eb00b705e7fbd48c"


def replace_upstream_sync():
    """Make wagtail-localize's restriction sync `sync_restrictions`, where upstream's method is
    the one this was written for; otherwise upstream's stays, with a warning."""
    from wagtail_localize.models import TranslationSource

    current = TranslationSource.sync_view_restrictions
    if getattr(current, "_procura", False):
        return
    if not written_for(current, UPSTREAM_DIGEST, "translations/restriction_sync.py"):
        return

    def sync_view_restrictions(self, original, translation_page):
        if isinstance(original, Page) and isinstance(translation_page, Page):
            sync_restrictions(original, translation_page)
        else:
            current(self, original, translation_page)  # raises wagtail-localize's own error

    sync_view_restrictions._procura = True
    sync_view_restrictions.upstream = current
    TranslationSource.sync_view_restrictions = sync_view_restrictions
