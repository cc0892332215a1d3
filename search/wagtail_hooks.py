import logging

from django.contrib.auth.models import Group, Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from search.admin_views import GlossaryViewSet, PopularSearchesView
from search.engines import EngineUnavailable, get_engine
from search.import_sections import GlossarySection
from search.models import GlossaryTerm
from search.query import engine_kind

logger = logging.getLogger(__name__)

register_snippet(GlossaryTerm, viewset=GlossaryViewSet)

# The editors' group of translations/roles.py (created by whichever step comes first).
EDITORS = "Editors"


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


class PopularSearchesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("search.view_querylog")  # as the report's view


@hooks.register("register_reports_menu_item")
def popular_searches_menu_item():
    return PopularSearchesMenuItem(
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


@hooks.register("procura_health_checks")
def health_checks():
    return {"search": search_health}


def search_health():
    """The configured engine answers; where it does not, searches use the database's own
    index (search/query.py)."""
    engine = get_engine()
    kind = engine_kind(engine)
    try:
        engine.health()
    except EngineUnavailable as error:
        logger.warning("Health check: %s", error)
        return {"status": "down", "engine": kind, "fallback": "database"}
    return {"status": "ok", "engine": kind}


@hooks.register("procura_setup_site")
def glossary_permissions(stdout=None):
    """Editors keep the glossary; translators do not need it."""
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="search",
            codename__in=[f"{action}_glossaryterm" for action in ("add", "change", "delete")],
        )
    )


@hooks.register("procura_import_sections")
def import_sections():
    return [GlossarySection()]
