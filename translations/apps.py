from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Translation workflow")

    def ready(self):
        from translations import restrictions
        from translations.drafts import keep_drafts_off_live_content
        from translations.ingest import look_blocks_up_in_one_pass
        from translations.restriction_sync import replace_upstream_sync

        keep_drafts_off_live_content()
        look_blocks_up_in_one_pass()
        replace_upstream_sync()
        restrictions.connect()
