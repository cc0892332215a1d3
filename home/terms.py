"""A page's links to translatable terms (topics, procurement approaches): which of its
relations they are, and each term as its version in the page's language."""

from modelcluster.fields import ParentalManyToManyField
from wagtail.models import TranslatableMixin


def translatable_taxonomies(model):
    """The many-to-many fields of a page type that link translatable terms (topics…)."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, ParentalManyToManyField)
        and issubclass(field.related_model, TranslatableMixin)
    ]


def terms_in_language(terms, locale_id):
    """Each term (a topic, an approach) as its version in `locale_id` where there is one, else
    as it is; in the same order, each once. One query at most."""
    terms = list(terms)
    foreign = [t for t in terms if t.locale_id != locale_id]
    if not foreign:
        return terms
    versions = {
        t.translation_key: t
        for t in type(foreign[0])._default_manager.filter(
            locale_id=locale_id, translation_key__in=[t.translation_key for t in foreign]
        )
    }
    found = {}
    for term in terms:
        if term.locale_id != locale_id:
            term = versions.get(term.translation_key, term)
        found.setdefault(term.pk, term)
    return list(found.values())
