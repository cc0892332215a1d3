"""The ways a visitor narrows pages down, shared by the site's search and the case study
listing: each facet's query parameter, its label, and how its values are named in the
visitor's language.

A facet's values are language-neutral keys (a topic's slug, a country's code, a year), the
same in every language tree, so one address filters the same way in every language.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from taggit.models import Tag

from home.taxonomy import tag_names, taxonomy_names


@dataclass
class FacetOption:
    """One value of a facet as a visitor sees it: its name, and how many results choosing it
    gives (under the other filters chosen)."""

    value: str
    label: str
    count: int
    selected: bool


def term_names(model):
    """The namer of a translatable taxonomy's slugs (home/taxonomy.py): remembered names."""

    def names(values, own):
        return taxonomy_names(model)

    return names


def country_names(values, own):
    return {code: str(countries.name(code) or code) for code in values}


def tag_labels(values, own):
    """Tags by their name in the visitor's language, else by their own name: `own` where the
    caller has it at hand, else read (one query, for those alone)."""
    names = tag_names()
    missing = [value for value in values if value not in names and value not in own]
    if missing:
        names = {**dict(Tag.objects.filter(slug__in=missing).values_list("slug", "name")), **names}
    return names


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter, and the filter's name in the search index
    label: str
    # (values, {value: the name it has of its own}) -> {value: name in the active language}
    namer: Callable | None = None
    newest_first: bool = False  # values are years: newest first, not by name

    def names(self, values, own=None):
        """{value: its name in the active language}, for each of `values`: where it has no
        name there, its own name (`own`), else the value itself."""
        values = list(values)
        own = own or {}
        found = self.namer(values, own) if self.namer else {}
        return {value: found.get(value) or own.get(value) or value for value in values}

    def options(self, counts, selected, own=None):
        """[FacetOption] of the values counted ({value: count}) and the chosen ones (a chosen
        value nothing matches is shown with 0, so that it can be removed), in the facet's
        order: by name, or the newest year first."""
        counts = {**dict.fromkeys(selected, 0), **counts}
        names = self.names(counts, own)
        found = [FacetOption(v, names[v], n, v in selected) for v, n in counts.items()]
        if self.newest_first:
            return sorted(found, key=lambda o: o.value, reverse=True)
        return sorted(found, key=lambda o: o.label.casefold())


TOPIC = Facet("topic", _("Topic"), term_names("home.Topic"))
COUNTRY = Facet("country", _("Country"), country_names)
YEAR = Facet("year", _("Year"), newest_first=True)
TAG = Facet("tag", _("Tags"), tag_labels)
