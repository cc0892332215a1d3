from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Site search")

    def ready(self):
        from search import signals  # noqa: F401
        from search.sqlite_quotes import double_quotes_in_terms

        double_quotes_in_terms()
