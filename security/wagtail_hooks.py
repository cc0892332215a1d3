from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("lockouts/", include("security.urls"))]


class SuperusersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return SuperusersMenuItem(
        _("Login lockouts"), reverse("security:lockouts"), icon_name="lock", order=900
    )
