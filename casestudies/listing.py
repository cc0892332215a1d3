"""Filtering, facet counts, totals and pagination of the case study series.

Filters combine: values of one filter widen the selection (topic A or B), filters narrow it
(topic A and country BE). Each filter's counts are computed with the other filters applied,
so a count says how many results choosing that value would give. The number of queries does
not depend on how many case studies there are or are shown.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.utils.http import urlencode
from django_countries import countries

from home.i18n import with_content_language, with_revision_owner
from home.params import filter_values
from home.taxonomy import name_locales, names_by_slug, tag_names

from .models import CaseStudyPage, CaseStudyPageTag

PAGE_SIZE = 12
TAG_FACET_SIZE = 30  # the most used tags of the selection
CENTS = Decimal("0.01")

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

    def active_names(self):
        """The filters with a value chosen, in their fixed order."""
        return tuple(name for name in self.names if self.selected[name])

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
        return self.summarise(base).facets

    def summarise(self, base, page=1, page_size=PAGE_SIZE):
        """The number of matches, their totals, every filter's counts and the ids of the
        matches on one page of the listing (newest first), in one query.

        The live case studies are read once (a common table expression), each marked with
        which filters it passes; every count is then a grouping of those rows, so the cost
        hardly depends on how many filters there are.
        """
        s = self.selected
        sql, params = self._marked(base).query.sql_with_params()
        preferred = name_locales()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH base AS ({sql}) {summary_query(self.active_names())}",
                [*params, page_size, (page - 1) * page_size, *preferred, *preferred],
            )
            rows = cursor.fetchall()

        counted = {name: {} for name in self.names}
        term_rows = {"topic": [], "approach": []}
        tag_labels = {}
        summary = Summary(count=0, totals={}, facets={}, page_topics={}, topic_totals={})
        on_page = []
        for kind, value, label, n, *numbers in rows:
            if kind == "page":
                on_page.append((int(value), n))
            elif kind == "page-topic":
                summary.page_topics.setdefault(n, []).append((value, label))
            elif kind == "count":
                summary.count = n
                summary.totals = _figures(numbers)
            elif kind == "topic-total":
                summary.topic_totals[value] = {"count": n, **_figures(numbers)}
            elif kind.endswith("-name"):
                term_rows[kind.removesuffix("-name")].append((value, label, n))
            elif value not in (None, ""):
                counted[kind][str(value)] = n
                if kind == "tag":
                    tag_labels[value] = label

        names = tag_names()  # in the visitor's language, else the tag's own name
        tag_labels = {slug: names.get(slug, name) for slug, name in tag_labels.items()}
        tag_labels.update((slug, names[slug]) for slug in s["tag"] if slug in names)

        def options(name, labels, order_by_label=True):
            counts = counted[name]
            for value in s[name]:
                counts.setdefault(value, 0)
            found = [FacetOption(v, labels.get(v, v), n, v in s[name]) for v, n in counts.items()]
            key = (lambda o: o.label.casefold()) if order_by_label else (lambda o: o.value)
            return sorted(found, key=key, reverse=not order_by_label)

        summary.page_ids = [pk for _position, pk in sorted(on_page)]
        self.topic_names = names_by_slug(term_rows["topic"], preferred)
        summary.facets = {
            "topic": options("topic", self.topic_names),
            "approach": options("approach", names_by_slug(term_rows["approach"], preferred)),
            "country": options(
                "country", {code: str(countries.name(code)) for code in counted["country"]}
            ),
            "year": options("year", {}, order_by_label=False),
            "tag": options("tag", tag_labels),
        }
        return summary

    def _marked(self, base):
        """The rows a summary groups: figures, and a flag per filter that the row passes it."""
        s = self.selected

        def member(link, column, selected_field, values):
            if not values:
                return Value(True)
            return Exists(link.objects.filter(**{column: OuterRef("pk"), selected_field: values}))

        def among(field, values):
            if not values:
                return Value(True)
            return ExpressionWrapper(Q(**{f"{field}__in": values}), output_field=BooleanField())

        return base.order_by().values(
            k_id=F("pk"),
            k_country=F("country"),
            k_year=F("year"),
            k_published=F("first_published_at"),
            k_co2e=F("co2e_tonnes_per_year"),
            k_energy=F("energy_mwh_per_year"),
            k_cost=F("cost_saving_eur"),
            k_topic_ok=member(TopicLink, "casestudypage_id", "topic__slug__in", s["topic"]),
            k_approach_ok=member(
                ApproachLink, "casestudypage_id", "approach__slug__in", s["approach"]
            ),
            k_tag_ok=member(CaseStudyPageTag, "content_object_id", "tag__slug__in", s["tag"]),
            k_country_ok=among("country", s["country"]),
            k_year_ok=among("year", [int(y) for y in s["year"]]),
        )


@cache
def summary_query(active=CaseStudyFilters.names):
    """The groupings of a summary over the marked rows (`base`), one result set for all.

    Only the filters in `active` (those with a value chosen) are tested: a flag of a filter
    left open is always true, and leaving it out lets the planner count the rows right.

    Rows are (kind, value, label, count, then sum and count of each figure for 'count' and
    for 'topic-total', the matches' figures per topic: slug, count, figures);
    the ids of the matches on the page wanted come with them (kind 'page': position, id),
    in the listing's order (see `ordered`), the page size and offset as parameters, and
    their topics (kind 'page-topic': slug, name, id); and the
    names of the live topics and approaches in the two locales given as the last parameters
    (kind 'topic-name', 'approach-name': slug, name, locale id).
    A case study links a topic or an approach once at most (the link tables are unique on
    the pair), so those count rows; tags are counted by distinct case study.
    Only table names and constants go into the text; every value is a parameter of `base`.
    """

    def passing(skip=None):
        return " AND ".join([f"k_{n}_ok" for n in active if n != skip] or ["TRUE"])

    topic = TopicLink._meta.db_table
    topics = TopicLink.topic.field.related_model._meta.db_table
    approach = ApproachLink._meta.db_table
    approaches = ApproachLink.approach.field.related_model._meta.db_table
    tagged = CaseStudyPageTag._meta.db_table
    tags = CaseStudyPageTag.tag.field.related_model._meta.db_table
    figures = ", ".join(f"SUM({c}), COUNT({c})" for c in ("k_co2e", "k_energy", "k_cost"))
    # Typed, as PostgreSQL types an untyped NULL of a subquery as text.
    none = ", ".join(["CAST(NULL AS NUMERIC), CAST(NULL AS BIGINT)"] * 3)
    return f"""
        , on_page AS (
            SELECT k_id, ROW_NUMBER() OVER (
                ORDER BY k_year DESC, k_published DESC, k_id DESC) AS position
            FROM base WHERE {passing()}
            ORDER BY k_year DESC, k_published DESC, k_id DESC LIMIT %s OFFSET %s
        )
        SELECT 'count', NULL, NULL, COUNT(*), {figures} FROM base WHERE {passing()}
        UNION ALL
        SELECT 'page', CAST(position AS VARCHAR(10)), NULL, k_id, {none} FROM on_page
        UNION ALL
        SELECT 'page-topic', term.slug, term.name, on_page.k_id, {none}
        FROM on_page JOIN {topic} link ON link.casestudypage_id = on_page.k_id
        JOIN {topics} term ON term.id = link.topic_id
        UNION ALL
        SELECT 'country', k_country, NULL, COUNT(*), {none}
        FROM base WHERE {passing("country")} GROUP BY k_country
        UNION ALL
        SELECT 'year', CAST(k_year AS VARCHAR(10)), NULL, COUNT(*), {none}
        FROM base WHERE {passing("year")} GROUP BY k_year
        UNION ALL
        SELECT 'topic', term.slug, NULL, COUNT(*), {none}
        FROM base JOIN {topic} link ON link.casestudypage_id = base.k_id
        JOIN {topics} term ON term.id = link.topic_id
        WHERE {passing("topic")} GROUP BY term.slug
        UNION ALL
        SELECT 'topic-total', term.slug, NULL, COUNT(*), {figures}
        FROM base JOIN {topic} link ON link.casestudypage_id = base.k_id
        JOIN {topics} term ON term.id = link.topic_id
        WHERE {passing()} GROUP BY term.slug
        UNION ALL
        SELECT 'approach', term.slug, NULL, COUNT(*), {none}
        FROM base JOIN {approach} link ON link.casestudypage_id = base.k_id
        JOIN {approaches} term ON term.id = link.approach_id
        WHERE {passing("approach")} GROUP BY term.slug
        UNION ALL
        SELECT * FROM (
            SELECT 'tag', term.slug, term.name, COUNT(DISTINCT base.k_id) AS n, {none}
            FROM base JOIN {tagged} link ON link.content_object_id = base.k_id
            JOIN {tags} term ON term.id = link.tag_id
            WHERE {passing("tag")} GROUP BY term.slug, term.name
            ORDER BY n DESC, term.name LIMIT {TAG_FACET_SIZE}
        ) AS most_used_tags
        UNION ALL
        SELECT 'topic-name', slug, name, locale_id, {none}
        FROM {topics} WHERE live AND locale_id IN (%s, %s)
        UNION ALL
        SELECT 'approach-name', slug, name, locale_id, {none}
        FROM {approaches} WHERE live AND locale_id IN (%s, %s)
    """  # noqa: S608 (follows "WITH base AS (...)")


@dataclass
class Summary:
    count: int
    totals: dict
    facets: dict
    page_ids: list = None
    page_topics: dict = None  # {case study id: [(topic slug, name)]} of the page's cards
    topic_totals: dict = None  # {topic slug: {"count": n, **totals}} of the matches


def _figures(numbers):
    """The totals of a summary row: each figure's sum (None where no one reports it) and
    how many report it."""
    totals = {}
    for i, key in enumerate(("co2e", "energy", "cost")):
        total, reported = numbers[2 * i : 2 * i + 2]
        totals[key] = _decimal(total) if reported else None
        totals[f"{key}_count"] = reported or 0
    return totals


def _decimal(value):
    """A sum as a Decimal of the figures' precision (SQLite sums them as floats)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(repr(value))
    return value.quantize(CENTS)


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


# What a card shows of a case study (with what its address and `lang` are worked out from).
CARD_FIELDS = (
    "title",
    "url_path",
    "locale",
    "alias_of",
    "live_revision",
    "translation_key",
    "organisation",
    "country",
    "year",
    "summary",
    "co2e_tonnes_per_year",
    "hero_image",
)


def with_listing_data(queryset, topics=True):
    """What a card shows, fetched in a constant number of queries (the body is left out);
    without the topics where they are known already."""
    related = ("topics", "hero_image__renditions") if topics else ("hero_image__renditions",)
    queryset = queryset.only(*CARD_FIELDS).select_related("hero_image")
    return with_revision_owner(queryset).prefetch_related(*related)


def label_topics(cards, topics, names):
    """Give each card `topic_labels`: its topics' names in the visitor's language, sorted.

    `topics` is {case study id: [(slug, name)]}; `names` the preferred name of each slug."""
    for card in cards:
        labels = {names.get(slug, name) for slug, name in topics.get(card.pk, [])}
        card.topic_labels = sorted(labels, key=str.casefold)
    return cards


def ordered(queryset):
    """The listing's order, newest tender first (the summary's page of ids follows it)."""
    return queryset.order_by("-year", "-first_published_at", "-pk")


MAX_PAGE = 10**6  # past any real listing; a larger number would overflow the SQL offset


def page_number(value):
    """The page asked for, where it is a page number at all (capped: past the end anyway)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(number, MAX_PAGE) if number >= 1 else None


def listing_context(index_page, request):
    filters = CaseStudyFilters(request.GET)
    base = index_page.case_studies()
    asked = page_number(request.GET.get("page"))
    summary = filters.summarise(base, page=asked or 1)
    paginator = Paginator(ordered(with_listing_data(filters.apply(base))), PAGE_SIZE)
    paginator.count = summary.count  # counted with the facets already
    # Not a number → the first page; past the end → the last page. Never an error.
    page_obj = paginator.get_page(request.GET.get("page"))
    if page_obj.number == (asked or 1):
        # The summary holds this page's ids and topics: the cards are fetched by id, not
        # sorted again, and their topics are not asked for.
        cards = CaseStudyPage.objects.filter(pk__in=summary.page_ids)
        by_id = {card.pk: card for card in with_listing_data(cards, topics=False)}
        cards = [by_id[pk] for pk in summary.page_ids if pk in by_id]
        topics = summary.page_topics
    else:
        cards = list(page_obj.object_list)  # another page than asked for (past the end, say)
        topics = {card.pk: [(t.slug, t.name) for t in card.topics.all()] for card in cards}
    label_topics(cards, topics, filters.topic_names)
    page_obj.object_list = with_content_language(cards)
    return {
        "filters": filters,
        "facets": summary.facets,
        "totals": summary.totals,
        "page_obj": page_obj,
        "case_studies": page_obj.object_list,
        "topic_names": filters.topic_names,
        "filter_query": filters.query_string(),
        "result_count": summary.count,
        "topic_totals": summary.topic_totals,
    }
