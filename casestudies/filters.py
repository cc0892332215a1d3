"""The filters of the case study series, each declared once in FILTERS: the facet it is (its
query parameter, label and how its values are named, home/facets.py), the case study's field
it reads, how the listing's form offers it and which columns of the exports carry it.

From that one declaration come the listing's reading of the query string, its narrowing of
the series, its counts and totals (casestudies/listing.py), its form, the exports' columns
(casestudies/exports.py) and the values the search index can filter by
(`CaseStudyPage.indexed_content`). A field is either a column of the case study (matched by
value) or a relation to terms (topics, approaches, tags: matched by the term's slug); what a
relation's link table looks like is read from the model, so a new filter names its field and
nothing else about the tables.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _

from home.facets import COUNTRY, TAG, TOPIC, YEAR, Facet, term_names

APPROACH = Facet("approach", _("Procurement approach"), term_names("casestudies.Approach"))


@dataclass(frozen=True)
class Link:
    """A case study's relation to terms as its link table holds it."""

    table: type  # the link model
    page: object  # its foreign key to the case study
    term: object  # its foreign key to the term
    # A case study links a term once at most (the pair is unique): links count case studies.
    unique: bool
    # The terms have one name in every language (tags), which the counts can carry along;
    # translatable terms are named from home/taxonomy.py's memo instead.
    own_names: bool

    @property
    def terms(self):
        return self.term.related_model


@cache
def link_of(model, field_name):
    """The Link of a many-to-many field of `model`; None for a column."""
    field = model._meta.get_field(field_name)
    if not field.many_to_many:
        return None
    table = field.remote_field.through
    keys = [f for f in table._meta.get_fields() if f.many_to_one]
    term = next(f for f in keys if f.related_model is field.related_model)
    page = next(f for f in keys if f is not term and issubclass(model, f.related_model))
    pair = {page.name, term.name}
    return Link(
        table=table,
        page=page,
        term=term,
        unique=any(pair <= set(names) for names in table._meta.unique_together),
        own_names=not any(f.name == "locale" for f in term.related_model._meta.get_fields()),
    )


def _year(value):
    """A year as the filter holds it; not a year (not four digits 0-9) matches nothing: None."""
    return value if value.isascii() and value.isdigit() and len(value) == 4 else None


@dataclass(frozen=True)
class CaseStudyFilter:
    facet: Facet
    field: str  # a column of the case study, or its many-to-many relation to terms
    widget: str  # on the listing's form: "checkboxes", "select", or "links" (the most used)
    export: str  # the exports' column of its values (a list for a relation)
    export_names: str = ""  # and of their names in the export's language
    label: str = ""  # on the listing's form, where it says more than the facet's label
    clean: Callable = str  # a value as read from the query string, or None to drop it
    stored: Callable = str  # a (clean) value of a column as the database holds it
    most_used: int | None = None  # only this many values, the most used, are counted

    @property
    def name(self):
        return self.facet.name

    @property
    def form_label(self):
        return self.label or self.facet.label

    @property
    def export_columns(self):
        return [c for c in (self.export, self.export_names) if c]

    def link(self, model):
        return link_of(model, self.field)

    def prefetch(self, model):
        """The lookup that fetches a relation's terms with the case studies."""
        link = self.link(model)
        if link is None:
            return None
        accessor = link.page.remote_field
        if accessor.hidden:  # an automatic link table: through the field itself
            return self.field
        return f"{accessor.get_accessor_name()}__{link.term.name}"

    def terms(self, page):
        """[(value, own name)] of a case study in memory (its prefetched relations)."""
        link = self.link(type(page))
        if link is None:
            value = getattr(page, self.field)
            return [(str(value), None)] if value not in (None, "") and str(value) else []
        accessor = link.page.remote_field
        if accessor.hidden:
            terms = getattr(page, self.field).all()
        else:
            terms = (
                getattr(item, link.term.name)
                for item in getattr(page, accessor.get_accessor_name()).all()
            )
        found = {}
        for term in terms:
            found.setdefault(term.slug, term.name)
        return list(found.items())

    def values(self, page):
        """The filter's values of a case study (slugs, codes, years) for the search index."""
        return [value for value, _name in self.terms(page)]

    def exported(self, page):
        """{column: value} of a case study in the exports: a relation's values and names as
        lists, a column's as single values."""
        terms = self.terms(page)
        values = [value for value, _name in terms]
        names = self.facet.names(values, dict(terms)) if self.export_names else {}
        if self.link(type(page)) is not None:
            row = {self.export: values}
            if self.export_names:
                row[self.export_names] = [names[v] for v in values]
            return row
        row = {self.export: self.stored(values[0]) if values else None}
        if self.export_names:
            row[self.export_names] = names[values[0]] if values else ""
        return row

    def passes(self, model, values):
        """An expression over a case study row: it has one of these values."""
        if not values:
            return Value(True)
        link = self.link(model)
        if link is not None:
            lookup = {link.page.name: OuterRef("pk"), f"{link.term.name}__slug__in": values}
            return Exists(link.table.objects.filter(**lookup))
        condition = Q(**{f"{self.field}__in": [self.stored(v) for v in values]})
        return ExpressionWrapper(condition, output_field=BooleanField())

    def narrow(self, queryset, values):
        """`queryset` with only the case studies that have one of these values."""
        link = self.link(queryset.model)
        if link is not None:
            matching = link.table.objects.filter(**{f"{link.term.name}__slug__in": values})
            return queryset.filter(pk__in=matching.values(link.page.attname))
        return queryset.filter(**{f"{self.field}__in": [self.stored(v) for v in values]})


# The filters of the listing, in the order of its form, query strings, chips and exports.
FILTERS = (
    CaseStudyFilter(TOPIC, "topics", "checkboxes", "topics", "topic_names"),
    CaseStudyFilter(APPROACH, "approaches", "checkboxes", "approaches", "approach_names"),
    CaseStudyFilter(COUNTRY, "country", "select", "country", "country_name", clean=str.upper),
    CaseStudyFilter(
        YEAR, "year", "select", "year", label=_("Year of the tender"), clean=_year, stored=int
    ),
    CaseStudyFilter(TAG, "tags", "links", "tags", "tag_names", most_used=30),
)
FILTER_NAMES = tuple(f.name for f in FILTERS)
FILTER_BY_NAME = {f.name: f for f in FILTERS}
