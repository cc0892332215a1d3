from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Translation workflow")

    def ready(self):
        from translations import restrictions
        from translations.drafts import keep_drafts_off_live_content

        keep_drafts_off_live_content()
        restrictions.patch_wagtail_localize()
        restrictions.connect()
