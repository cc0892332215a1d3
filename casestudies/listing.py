"""Filtering, facet counts, totals and pagination of the case study series.

Filters combine: values of one filter widen the selection (topic A or B), filters narrow it
(topic A and country BE). Each filter's counts are computed with the other filters applied,
so a count says how many results choosing that value would give. The number of queries does
not depend on how many case studies there are or are shown.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.utils.http import urlencode
from django_countries import countries

from home.i18n import with_content_language
from home.params import filter_values
from home.taxonomy import taxonomy_names

from .models import CaseStudyPage, CaseStudyPageTag

PAGE_SIZE = 12

TopicLink = CaseStudyPage.topics.through
ApproachLink = CaseStudyPage.approaches.through


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


class CaseStudyFilters:
    """The filters of one request, read defensively from its query string."""

    names = ("topic", "approach", "country", "year", "tag")

    def __init__(self, params):
        self.selected = {name: filter_values(params, name) for name in self.names}
        self.selected["country"] = [c.upper() for c in self.selected["country"]]
        # A year that is not a number cannot match anything; it is dropped, not an error.
        self.selected["year"] = [y for y in self.selected["year"] if y.isdigit() and len(y) == 4]

    @property
    def active(self):
        return any(self.selected.values())

    def apply(self, queryset, skip=None):
        s = self.selected
        if s["topic"] and skip != "topic":
            ids = TopicLink.objects.filter(topic__slug__in=s["topic"]).values("casestudypage_id")
            queryset = queryset.filter(pk__in=ids)
        if s["approach"] and skip != "approach":
            ids = ApproachLink.objects.filter(approach__slug__in=s["approach"]).values(
                "casestudypage_id"
            )
            queryset = queryset.filter(pk__in=ids)
        if s["tag"] and skip != "tag":
            ids = CaseStudyPageTag.objects.filter(tag__slug__in=s["tag"]).values(
                "content_object_id"
            )
            queryset = queryset.filter(pk__in=ids)
        if s["country"] and skip != "country":
            queryset = queryset.filter(country__in=s["country"])
        if s["year"] and skip != "year":
            queryset = queryset.filter(year__in=[int(y) for y in s["year"]])
        return queryset

    def query_string(self, **changes):
        """This filter state as a query string, with some values replaced (None removes)."""
        params = []
        for name in self.names:
            values = changes.get(name, self.selected[name])
            for value in values or []:
                params.append((name, value))
        return urlencode(params)

    def facets(self, base):
        """{filter: [FacetOption]} with counts under the other filters."""
        s = self.selected
        facets = {}

        def options(rows, labels, name, order_by_label=True):
            counts = {str(value): n for value, n in rows if value not in (None, "")}
            for value in s[name]:
                counts.setdefault(value, 0)
            found = [FacetOption(v, labels.get(v, v), n, v in s[name]) for v, n in counts.items()]
            key = (lambda o: o.label.casefold()) if order_by_label else (lambda o: o.value)
            return sorted(found, key=key, reverse=not order_by_label)

        topic_rows = (
            TopicLink.objects.filter(casestudypage__in=self.apply(base, skip="topic"))
            .values_list("topic__slug")
            .annotate(n=Count("casestudypage_id", distinct=True))
        )
        facets["topic"] = options(topic_rows, taxonomy_names("home.Topic"), "topic")

        approach_rows = (
            ApproachLink.objects.filter(casestudypage__in=self.apply(base, skip="approach"))
            .values_list("approach__slug")
            .annotate(n=Count("casestudypage_id", distinct=True))
        )
        facets["approach"] = options(
            approach_rows, taxonomy_names("casestudies.Approach"), "approach"
        )

        country_rows = (
            self.apply(base, skip="country")
            .order_by()
            .values_list("country")
            .annotate(n=Count("pk"))
        )
        country_labels = {code: str(name) for code, name in countries}
        facets["country"] = options(country_rows, country_labels, "country")

        year_rows = (
            self.apply(base, skip="year").order_by().values_list("year").annotate(n=Count("pk"))
        )
        facets["year"] = options(year_rows, {}, "year", order_by_label=False)

        tag_rows = list(
            CaseStudyPageTag.objects.filter(content_object__in=self.apply(base, skip="tag"))
            .values_list("tag__slug", "tag__name")
            .annotate(n=Count("content_object_id", distinct=True))
            .order_by("-n", "tag__name")[:30]
        )
        tag_labels = {slug: name for slug, name, _n in tag_rows}
        facets["tag"] = options([(slug, n) for slug, _name, n in tag_rows], tag_labels, "tag")
        return facets


def totals(queryset):
    """The series' results under the current filters: sums and how many report each."""
    return queryset.order_by().aggregate(
        co2e=Sum("co2e_tonnes_per_year"),
        co2e_count=Count("pk", filter=Q(co2e_tonnes_per_year__isnull=False)),
        energy=Sum("energy_mwh_per_year"),
        energy_count=Count("pk", filter=Q(energy_mwh_per_year__isnull=False)),
        cost=Sum("cost_saving_eur"),
        cost_count=Count("pk", filter=Q(cost_saving_eur__isnull=False)),
    )


def with_listing_data(queryset):
    """What a card shows, fetched in a constant number of queries."""
    return queryset.select_related("hero_image").prefetch_related(
        "topics", "hero_image__renditions"
    )


def ordered(queryset):
    return queryset.order_by("-year", "-first_published_at", "-pk")


def listing_context(index_page, request):
    filters = CaseStudyFilters(request.GET)
    base = index_page.case_studies()
    selection = filters.apply(base)
    paginator = Paginator(ordered(with_listing_data(selection)), PAGE_SIZE)
    # Not a number → the first page; past the end → the last page. Never an error.
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.object_list = with_content_language(page_obj.object_list)
    return {
        "filters": filters,
        "facets": filters.facets(base),
        "totals": totals(selection),
        "page_obj": page_obj,
        "case_studies": page_obj.object_list,
        "topic_names": taxonomy_names("home.Topic"),
        "filter_query": filters.query_string(),
        "result_count": paginator.count,
    }
