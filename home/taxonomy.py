"""Translatable taxonomies (topics, approaches): names in the visitor's language.

Pages keep their taxonomy links to the rows they were tagged with (usually the default
language's); slugs are the same in every language, so names are looked up by slug.
"""

from django.apps import apps
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from home.i18n import active_locale, default_locale


def _model(model):
    return apps.get_model(model) if isinstance(model, str) else model


def taxonomy_names(model, locale=None):
    """{slug: name} in `locale` (default: the active one), falling back to the default language.

    One query, whatever the number of terms.
    """
    model = _model(model)
    locale = locale or active_locale()
    preferred = name_locales(locale)
    rows = model.objects.filter(live=True, locale_id__in=preferred).values_list(
        "slug", "name", "locale_id"
    )
    return names_by_slug(rows, preferred)


def name_locales(locale=None):
    """The ids of the locales a name is taken from, in order of preference."""
    return ((locale or active_locale()).pk, default_locale().pk)


def names_by_slug(rows, preferred):
    """{slug: name} from (slug, name, locale_id) rows of live terms, the first locale first."""
    names = {}
    for slug, name, locale_id in rows:
        if locale_id == preferred[0] or slug not in names:
            names[slug] = name
    return names


def localized_names(model, items, locale=None):
    """[(slug, name)] for the given taxonomy items, named in the visitor's language.

    Items from the database (a queryset) take one query, names included; items held in
    memory (a page being previewed) take one for the names.
    """
    model = _model(model)
    if not isinstance(items, QuerySet):
        names = taxonomy_names(model, locale)
        return [(item.slug, names.get(item.slug, item.name)) for item in items]
    locale = locale or active_locale()
    preferred = (locale.pk, default_locale().pk)
    linked = Q(pk__in=items.values("pk"))
    rows = (
        model.objects.filter(
            linked | Q(live=True, locale_id__in=preferred, slug__in=items.values("slug"))
        )
        .annotate(linked=ExpressionWrapper(linked, output_field=BooleanField()))
        .values_list("slug", "name", "locale_id", "linked")
    )
    order, own, names = [], {}, {}
    for slug, name, locale_id, is_linked in rows:
        if is_linked and slug not in own:
            order.append(slug)
            own[slug] = name
        if locale_id in preferred:
            rank = preferred.index(locale_id)
            if slug not in names or rank < names[slug][0]:
                names[slug] = (rank, name)
    return [(slug, names[slug][1] if slug in names else own[slug]) for slug in order]
