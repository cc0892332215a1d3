"""Make wagtail-localize's draft saves real drafts (see home/drafts.py for why).

`TranslationSource.create_or_update_translation(publish=False)` is what the translation
editor's "Save draft", a new translation and our importer call. Wrapped here so that, for a
live translation, the draft goes into a revision and the published content stays as it is
until an editor approves and publishes it.
"""

import functools

from wagtail_localize.models import TranslationSource

from home.drafts import draft_only


def keep_drafts_off_live_content():
    original = TranslationSource.create_or_update_translation
    if getattr(original, "_keeps_drafts", False):
        return

    @functools.wraps(original)
    def create_or_update_translation(self, locale, user=None, publish=True, **kwargs):
        if publish:
            return original(self, locale, user=user, publish=publish, **kwargs)
        with draft_only():
            return original(self, locale, user=user, publish=publish, **kwargs)

    create_or_update_translation._keeps_drafts = True
    TranslationSource.create_or_update_translation = create_or_update_translation
