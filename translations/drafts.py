"""Make wagtail-localize's draft saves real drafts (see home/languages/drafts.py for why).

`TranslationSource.create_or_update_translation(publish=False)` is what the translation
editor's "Save draft", a new translation and our importer call. Wrapped here so that, for a
live translation, the draft goes into a revision and the published content stays as it is
until an editor approves and publishes it.

Written for wagtail-localize 1.14's `create_or_update_translation` (its digest, checked as the
site starts: home/upstream.py); tests/translations/test_workflow.py calls upstream's own method
and fails once upstream keeps drafts off live content itself.
"""

import functools

from wagtail_localize.models import TranslationSource

from home.languages.drafts import draft_only
from home.upstream import written_for

# The digest of the source of upstream's `TranslationSource.create_or_update_translation`.
UPSTREAM_DIGEST = "05eed5b487654b10"


def keep_drafts_off_live_content():
    original = TranslationSource.create_or_update_translation
    if getattr(original, "_keeps_drafts", False):
        return
    if not written_for(original, UPSTREAM_DIGEST, "translations/drafts.py (#655)"):
        return

    @functools.wraps(original)
    def create_or_update_translation(self, locale, user=None, publish=True, **kwargs):
        if publish:
            return original(self, locale, user=user, publish=publish, **kwargs)
        with draft_only.on():
            return original(self, locale, user=user, publish=publish, **kwargs)

    create_or_update_translation._keeps_drafts = True
    create_or_update_translation.upstream = original
    TranslationSource.create_or_update_translation = create_or_update_translation
