"""The search's admin: the "Popular searches" report (per language, with how many found
nothing) and the glossary of names searches widen to (place names)."""

import django_filters
from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from django_filters import DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from search.models import GlossaryTerm, GlossaryVariant, QueryLog


class PopularSearchesFilterSet(WagtailFilterSet):
    locale = django_filters.ChoiceFilter(label=_("Language"), choices=settings.LANGUAGES)
    day = DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = QueryLog
        fields = ["locale", "day"]


class PopularSearchesView(ReportView):
    page_title = _("Popular searches")
    header_icon = "search"
    filterset_class = PopularSearchesFilterSet
    index_url_name = "popular_searches"
    index_results_url_name = "popular_searches_results"
    # Editors and administrators (translations/roles.py), not translators: the query log's
    # view permission (search.view_querylog), for the report and its spreadsheets alike.
    permission_policy = ModelPermissionPolicy(QueryLog)
    permission_required = "view"
    columns = [
        Column("query", label=_("Query")),
        Column("locale", label=_("Language")),
        NumberColumn("total", label=_("Searches")),
        NumberColumn("empty", label=_("Without results")),
    ]
    export_headings = {
        "query": _("Query"),
        "locale": _("Language"),
        "total": _("Searches"),
        "empty": _("Without results"),
    }
    list_export = ["query", "locale", "total", "empty"]

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        kwargs["queryset"] = QueryLog.objects.all()
        return kwargs

    def get_queryset(self):
        return QueryLog.objects.all()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return (
            queryset.values("query", "locale")
            .annotate(total=Sum("searches"), empty=Sum("without_results"))
            .order_by("-total", "query")
        )


class GlossaryIndexView(IndexView):
    def search_queryset(self, queryset):
        """Terms whose name or one of whose variants holds what was typed."""
        if not self.is_searching:
            return queryset
        typed = self.search_query
        variants = GlossaryVariant.objects.filter(text__icontains=typed).values("term_id")
        return queryset.filter(Q(name__icontains=typed) | Q(pk__in=variants))


class GlossaryViewSet(SnippetViewSet):
    """The glossary's list, form and search, for editors (search/wagtail_hooks.py gives
    them its permissions; translators have none)."""

    model = GlossaryTerm
    index_view_class = GlossaryIndexView
    icon = "globe"
    search_fields = ["name"]  # makes the list searchable; GlossaryIndexView reads variants too
    list_display = ["name", "kind", "variant_list"]
    list_per_page = 50

    def get_queryset(self, request):
        return GlossaryTerm.objects.prefetch_related("variants")
