from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search.admin_views import PopularSearchesView


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("reports/popular-searches/", PopularSearchesView.as_view(), name="popular_searches"),
        path(
            "reports/popular-searches/results/",
            PopularSearchesView.as_view(results_only=True),
            name="popular_searches_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def popular_searches_menu_item():
    return MenuItem(
        _("Popular searches"), reverse("popular_searches"), icon_name="search", order=1290
    )


@hooks.register("procura_smoke_urls")
def smoke_urls():
    return [
        "/en/search/?q=procurement",
        "/de/search/?q=Beschaffung",
        "/en/search/?q=heat+pumps&format=json",
        "/en/search/autocomplete/?q=hea",
    ]
