"""Filtering, facet counts, totals and pagination of the case study series.

Filters combine: values of one filter widen the selection (topic A or B), filters narrow it
(topic A and country BE). Each filter's counts are computed with the other filters applied,
so a count says how many results choosing that value would give. The number of queries does
not depend on how many case studies there are or are shown. Each filter is declared once in
FILTERS, each order of the list once in SORTS.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Collate, Lower
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from home.languages.i18n import with_content_language, with_revision_owner
from home.params import filter_values
from home.taxonomy import taxonomy_names

from .filters import FILTER_BY_NAME, FILTER_NAMES, FILTERS

PAGE_SIZE = 12
CENTS = Decimal("0.01")
# The figures a summary totals, by their column in it.
FIGURES = {
    "k_co2e": "co2e_tonnes_per_year",
    "k_energy": "energy_mwh_per_year",
    "k_cost": "cost_saving_eur",
}
TOPICS = FILTER_BY_NAME["topic"]  # the chart's totals and the cards' labels


@dataclass(frozen=True)
class SortOrder:
    label: str
    # Model fields, "-" for descending. A case study without a value comes last either way.
    keys: tuple


# The listing's orders, by the value of its `sort` parameter: the summary's page of ids and
# the ORM (exports, pages past the end) both read them here (`order_sql`, `ordered`).
SORTS = {
    "newest": SortOrder(_("Newest"), ("-year", "-first_published_at", "-pk")),
    "impact": SortOrder(
        _("CO2e saved"), ("-co2e_tonnes_per_year", "-year", "-first_published_at", "-pk")
    ),
    "title": SortOrder(_("A–Z"), ("title", "pk")),
}
DEFAULT_SORT = "newest"
# The summary's column of each field a sort order uses (see `CaseStudyFilters._marked`).
SORT_COLUMNS = {
    "year": "k_year",
    "first_published_at": "k_published",
    "pk": "k_id",
    "co2e_tonnes_per_year": "k_co2e",
    "title": "k_title",
}


def sort_name(value):
    """The sort order asked for, where it is one; else the default."""
    return value if isinstance(value, str) and value in SORTS else DEFAULT_SORT


_icu_collations = {}


def title_collation():
    """The database collation that sorts titles as the visitor's language does: PostgreSQL's
    ICU collation of the language, where the server has it; None elsewhere (SQLite), where
    titles sort by their lower case."""
    if connection.vendor != "postgresql":
        return None
    name = f"{translation.get_language() or 'en'}".split("-")[0].lower() + "-x-icu"
    key = connection.settings_dict["NAME"]
    if key not in _icu_collations:  # once per process and database
        with connection.cursor() as cursor:
            cursor.execute("SELECT collname FROM pg_collation WHERE collname LIKE %s", ["%-x-icu"])
            _icu_collations[key] = {
                row[0] for row in cursor.fetchall() if re.fullmatch(r"[a-z]+-x-icu", row[0])
            }
    return name if name in _icu_collations[key] else None


def _sort_terms(sort):
    for key in SORTS[sort].keys:
        yield key.removeprefix("-"), key.startswith("-")


def order_sql(sort):
    """The ORDER BY terms of a sort order over the summary's columns."""
    terms = []
    for field, descending in _sort_terms(sort):
        column = SORT_COLUMNS[field]
        if field == "title":
            collation = title_collation()
            column = (
                f"{column} COLLATE {connection.ops.quote_name(collation)}"
                if collation
                else f"LOWER({column})"
            )
        terms.append(f"{column} {'DESC' if descending else 'ASC'} NULLS LAST")
    return ", ".join(terms)


def order_by(sort):
    """The same sort order as ORM expressions."""
    terms = []
    for field, descending in _sort_terms(sort):
        expression = F(field)
        if field == "title":
            collation = title_collation()
            expression = Collate(expression, collation) if collation else Lower(expression)
        terms.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return terms


class CaseStudyFilters:
    """The filters of one request, read defensively from its query string."""

    names = FILTER_NAMES

    def __init__(self, params):
        # A value that cannot match anything (a year that is not a number) is dropped, not an
        # error.
        self.selected = {}
        for f in FILTERS:
            cleaned = (f.clean(value) for value in filter_values(params, f.name))
            self.selected[f.name] = list(dict.fromkeys(v for v in cleaned if v is not None))
        # An order that is not one of ours gives the default one, not an error.
        self.sort = sort_name(params.get("sort"))

    @property
    def active(self):
        return any(self.selected.values())

    def active_names(self):
        """The filters with a value chosen, in their fixed order."""
        return tuple(name for name in self.names if self.selected[name])

    def apply(self, queryset, skip=None):
        for f in FILTERS:
            if self.selected[f.name] and skip != f.name:
                queryset = f.narrow(queryset, self.selected[f.name])
        return queryset

    def query_string(self, **changes):
        """This filter state as a query string, with some values replaced (None removes)."""
        params = []
        for name in self.names:
            values = changes.get(name, self.selected[name])
            for value in values or []:
                params.append((name, value))
        sort = changes.get("sort", self.sort)
        if sort and sort != DEFAULT_SORT:
            params.append(("sort", sort))
        return urlencode(params)

    def chips(self, facets):
        """The chosen filter values, each with its label and the query string without it."""
        return [
            {
                "label": option.label,
                "query": self.query_string(
                    **{name: [v for v in self.selected[name] if v != option.value]}
                ),
            }
            for name in self.names
            for option in facets[name]
            if option.selected
        ]

    def facets(self, base):
        """{filter: [FacetOption]} with counts under the other filters."""
        return self.summarise(base).facets

    def summarise(self, base, page=1, page_size=PAGE_SIZE):
        """The number of matches, their totals, every filter's counts and the ids of the
        matches on one page of the listing (in the order chosen), in one query.

        The live case studies are read once (a common table expression), each marked with
        which filters it passes; every count is then a grouping of those rows, so the cost
        hardly depends on how many filters there are.
        """
        sql, params = self._marked(base).query.sql_with_params()
        query = summary_query(base.model, self.active_names(), order_sql(self.sort))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH base AS ({sql}) {query}",
                [*params, page_size, (page - 1) * page_size],
            )
            rows = cursor.fetchall()

        counted = {name: {} for name in self.names}
        own_names = {name: {} for name in self.names}
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
            elif value not in (None, ""):
                counted[kind][str(value)] = n
                if label:
                    own_names[kind][str(value)] = label

        summary.page_ids = [pk for _position, pk in sorted(on_page)]
        if TOPICS.name not in self.active_names():
            # No topic chosen: its counts are the topic totals' (`summary_query`).
            counted[TOPICS.name] = {slug: t["count"] for slug, t in summary.topic_totals.items()}
        self.topic_names = taxonomy_names(TOPICS.link(base.model).terms)
        summary.facets = {
            f.name: f.facet.options(counted[f.name], self.selected[f.name], own_names[f.name])
            for f in FILTERS
        }
        return summary

    def _marked(self, base):
        """The rows a summary groups: the figures, the columns the filters and the order
        read, and a flag per filter that the row passes it."""
        model = base.model
        passes = {f"k_{f.name}_ok": f.passes(model, self.selected[f.name]) for f in FILTERS}
        columns = {f"k_{f.name}": F(f.field) for f in FILTERS if f.link(model) is None}
        order = {SORT_COLUMNS[field]: F(field) for field, _descending in _sort_terms(self.sort)}
        figures = {column: F(field) for column, field in FIGURES.items()}
        return base.order_by().values(**{"k_id": F("pk"), **columns, **order, **figures, **passes})


@cache
def summary_query(model, active=FILTER_NAMES, order=None):
    """The groupings of a summary over the marked rows (`base`), one result set for all.

    Only the filters in `active` (those with a value chosen) are tested: a flag of a filter
    left open is always true, and leaving it out lets the planner count the rows right.

    Rows are (kind, value, label, count, then sum and count of each figure for 'count' and
    for 'topic-total', the matches' figures per topic: slug, count, figures);
    the ids of the matches on the page wanted come with them (kind 'page': position, id),
    in the listing's order (`order`, the terms `order_sql` gives for a sort order of SORTS),
    the page size and offset as parameters, and their topics (kind 'page-topic': slug, name,
    id); then each filter's counts (kind: the filter's name; value, its own name where its
    terms have one, count), by `filter_counts`.
    Without a topic chosen, the topic counts are the topic totals' counts (the same
    grouping under the same filters) and are not grouped again.
    Only table names and constants go into the text; every value is a parameter of `base`.
    """

    order = order or order_sql(DEFAULT_SORT)

    def passing(skip=None):
        return " AND ".join([f"k_{n}_ok" for n in active if n != skip] or ["TRUE"])

    figures = ", ".join(f"SUM({c}), COUNT({c})" for c in FIGURES)
    # Typed, as PostgreSQL types an untyped NULL of a subquery as text.
    none = ", ".join(["CAST(NULL AS NUMERIC), CAST(NULL AS BIGINT)"] * len(FIGURES))
    topics = _joined(TOPICS.link(model))
    counts = "".join(
        f" UNION ALL {filter_counts(model, f, passing(f.name), none)}"
        for f in FILTERS
        if f is not TOPICS or TOPICS.name in active
    )
    return f"""
        , on_page AS (
            SELECT k_id, ROW_NUMBER() OVER (ORDER BY {order}) AS position
            FROM base WHERE {passing()}
            ORDER BY {order} LIMIT %s OFFSET %s
        )
        SELECT 'count', NULL, NULL, COUNT(*), {figures} FROM base WHERE {passing()}
        UNION ALL
        SELECT 'page', CAST(position AS VARCHAR(10)), NULL, k_id, {none} FROM on_page
        UNION ALL
        SELECT 'page-topic', term.slug, term.name, on_page.k_id, {none}
        FROM on_page {_joined(TOPICS.link(model), "on_page")}
        UNION ALL
        SELECT 'topic-total', term.slug, NULL, COUNT(*), {figures}
        FROM base {topics} WHERE {passing()} GROUP BY term.slug
        {counts}
    """  # noqa: S608 (follows "WITH base AS (...)")


def _joined(link, rows="base"):
    """The joins from the marked rows (`rows`) to a relation's terms (`term`)."""
    return (
        f"JOIN {link.table._meta.db_table} link ON link.{link.page.column} = {rows}.k_id "
        f"JOIN {link.terms._meta.db_table} term ON term.id = link.{link.term.column}"
    )


def filter_counts(model, f, passing, none):
    """The SELECT of one filter's counts: per value, the matches of the other filters that
    have it (the text holds only declared names and table names; values are parameters of
    `base`). A column groups by its value; a relation joins its terms and groups by slug,
    carrying the terms' own name where they have one name in every language (tags)."""
    link = f.link(model)
    if link is None:
        return (
            f"SELECT '{f.name}', CAST(k_{f.name} AS VARCHAR(100)), NULL, COUNT(*), {none} "  # noqa: S608
            f"FROM base WHERE {passing} GROUP BY k_{f.name}"
        )
    name = "term.name" if link.own_names else "NULL"
    grouped = "term.slug, term.name" if link.own_names else "term.slug"
    # A case study links a term once at most where the link table says so; else distinct.
    counted = "COUNT(*)" if link.unique else "COUNT(DISTINCT base.k_id)"
    select = (
        f"SELECT '{f.name}', term.slug, {name}, {counted} AS n, {none} "  # noqa: S608
        f"FROM base {_joined(link)} WHERE {passing} GROUP BY {grouped}"
    )
    if f.most_used is None:
        return select
    return (
        f"SELECT * FROM ({select} ORDER BY n DESC, term.slug LIMIT {int(f.most_used)}) "  # noqa: S608
        f"AS most_used_{f.name}"
    )


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


def ordered(queryset, sort=DEFAULT_SORT):
    """The listing in a sort order of SORTS (the summary's page of ids follows the same)."""
    return queryset.order_by(*order_by(sort_name(sort)))


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
    paginator = Paginator(ordered(with_listing_data(filters.apply(base)), filters.sort), PAGE_SIZE)
    paginator.count = summary.count  # counted with the facets already
    # Not a number → the first page; past the end → the last page. Never an error.
    page_obj = paginator.get_page(request.GET.get("page"))
    if page_obj.number == (asked or 1):
        # The summary holds this page's ids and topics: the cards are fetched by id, not
        # sorted again, and their topics are not asked for.
        cards = base.model.objects.filter(pk__in=summary.page_ids)
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
        "chips": filters.chips(summary.facets),
        # The form's groups, in FILTERS' order: {name, label, widget, options, selected}.
        "filter_groups": [
            {
                "name": f.name,
                "label": f.form_label,
                "widget": f.widget,
                "options": summary.facets[f.name],
                "selected": filters.selected[f.name],
            }
            for f in FILTERS
        ],
        "clear_query": filters.query_string(**dict.fromkeys(filters.names)),
        "sorts": [
            {
                "label": order.label,
                "query": filters.query_string(sort=name),
                "chosen": name == filters.sort,
            }
            for name, order in SORTS.items()
        ],
        "result_count": summary.count,
        "topic_totals": summary.topic_totals,
    }
