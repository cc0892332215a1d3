from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Locale

from translations.editor import convert_to_alias_for_editors_only
from translations.notices import out_of_date_notice
from translations.permissions import locales_for_user
from translations.roles import demo_translator_accounts, setup_roles

hooks.register("procura_setup_site", setup_roles)
hooks.register("procura_demo_accounts", demo_translator_accounts)
hooks.register("procura_page_notices", out_of_date_notice)
hooks.register("procura_user_locales", locales_for_user)
hooks.register("construct_page_action_menu", convert_to_alias_for_editors_only)


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("translations/", include("translations.urls"))]


class TranslatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(locales_for_user(request.user) - {Locale.get_default().pk})


@hooks.register("register_admin_menu_item")
def translations_menu_item():
    return TranslatorsMenuItem(
        _("Translations"), reverse("translations:dashboard"), icon_name="globe", order=250
    )
