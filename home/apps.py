from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site and shared content")

    def ready(self):
        from wagtail.models import Locale, Site

        from home import cache, menus, spreadsheets
        from home.languages import scheduled_aliases
        from home.languages.i18n import locales
        from home.models import TagName
        from home.models.snippets import ModeratedSnippet
        from home.routing import is_root_page, page_urls, sites
        from home.taxonomy import tag_names_memo, taxonomy_memo

        locales.forget_on(Locale)
        sites.forget_on(Site)
        # A remembered site holds its root page as read then (Wagtail serves through it).
        sites.forget_on(when=is_root_page)
        page_urls.forget_on(Site)
        page_urls.forget_on(when=is_root_page)  # any page model: only a root page matters
        # Topics, approaches: the taxonomies are moderated snippets (so are menus, seldom saved).
        taxonomy_memo.forget_on(when=lambda instance: isinstance(instance, ModeratedSnippet))
        tag_names_memo.forget_on(TagName)
        cache.connect()
        menus.connect()
        scheduled_aliases.connect()
        spreadsheets.protect_admin_exports()
