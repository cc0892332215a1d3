"""Translatable taxonomies (topics, approaches): names in the visitor's language.

Pages keep their taxonomy links to the rows they were tagged with (usually the default
language's); slugs are the same in every language, so names are looked up by slug.
"""

from django.apps import apps

from home.i18n import active_locale, default_locale


def _model(model):
    return apps.get_model(model) if isinstance(model, str) else model


def taxonomy_names(model, locale=None):
    """{slug: name} in `locale` (default: the active one), falling back to the default language.

    One query, whatever the number of terms.
    """
    model = _model(model)
    locale = locale or active_locale()
    default = default_locale()
    names = {}
    rows = model.objects.filter(live=True, locale_id__in={locale.pk, default.pk}).values_list(
        "slug", "name", "locale_id"
    )
    for slug, name, locale_id in rows:
        if locale_id == locale.pk or slug not in names:
            names[slug] = name
    return names


def localized_names(model, items, locale=None):
    """[(slug, name)] for the given taxonomy items, named in the visitor's language."""
    names = taxonomy_names(model, locale)
    return [(item.slug, names.get(item.slug, item.name)) for item in items]
