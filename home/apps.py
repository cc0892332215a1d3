from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site and shared content")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale, Site

        from home.i18n import forget_locales
        from home.routing import forget_page_urls, forget_root_page_urls, forget_sites

        post_save.connect(forget_locales, sender=Locale, dispatch_uid="home_forget_locales")
        post_delete.connect(forget_locales, sender=Locale, dispatch_uid="home_forget_locales")
        post_save.connect(forget_sites, sender=Site, dispatch_uid="home_forget_sites")
        post_delete.connect(forget_sites, sender=Site, dispatch_uid="home_forget_sites")
        post_save.connect(forget_page_urls, sender=Site, dispatch_uid="home_forget_urls")
        post_delete.connect(forget_page_urls, sender=Site, dispatch_uid="home_forget_urls")
        # Any page model: only a root page's change matters (see forget_root_page_urls).
        post_save.connect(forget_root_page_urls, dispatch_uid="home_forget_root_urls")
        post_delete.connect(forget_root_page_urls, dispatch_uid="home_forget_root_urls")
