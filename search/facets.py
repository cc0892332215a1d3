"""The facets of the public search: the page type, and the site's shared facets
(home/facets.py), which the case study listing offers too."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from home.facets import COUNTRY, TAG, TOPIC, YEAR, Facet


def type_names(values, own):
    """Page types ("news.NewsPage") by their plural name; a value that is no model, none."""
    names = {}
    for value in values:
        try:
            model = apps.get_model(value)
        except (LookupError, ValueError):
            continue
        names[value] = str(model._meta.verbose_name_plural).capitalize()
    return names


TYPE = Facet("type", _("Type"), type_names)

# In the order the search page shows them.
FACETS = (TYPE, TOPIC, COUNTRY, YEAR, TAG)
FACET_NAMES = tuple(facet.name for facet in FACETS)
