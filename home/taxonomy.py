"""Translatable taxonomies (topics, approaches): names in the visitor's language.

A page links its own language's terms where they are translated, else the term as it is
(`BasePage.link_terms_in_own_language`); slugs are the same in every language, so names are
looked up by slug, whichever row a page links.
"""

from django.apps import apps
from django.db.models import QuerySet

from home.languages.i18n import active_locale, default_locale
from home.memo import Memo
from home.models.tags import TagName


def _model(model):
    return apps.get_model(model) if isinstance(model, str) else model


# Terms are few and change seldom, and most public pages name some: their names are
# remembered per language (home/memo.py), forgotten when a term is saved or deleted.
taxonomy_memo = Memo("taxonomy names")


def taxonomy_names(model, locale=None):
    """{slug: name} in `locale` (default: the active one), falling back to the default language.

    One query, whatever the number of terms, and none while remembered.
    """
    model = _model(model)
    preferred = name_locales(locale)

    def read():
        rows = model.objects.filter(live=True, locale_id__in=preferred).values_list(
            "slug", "name", "locale_id"
        )
        return names_by_slug(rows, preferred)

    return taxonomy_memo.get((model._meta.label, preferred), read)


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
    """[(slug, name)] of the given taxonomy items (a queryset, or terms in memory for a page
    being previewed), named in the visitor's language where the term is translated, else in
    the default language, else as the item itself is named. One query for a queryset."""
    names = taxonomy_names(model, locale)
    if isinstance(items, QuerySet):
        items = items.values_list("slug", "name")
    else:
        items = [(item.slug, item.name) for item in items]
    found = {}
    for slug, name in items:
        found.setdefault(slug, names.get(slug, name))
    return list(found.items())


# Free tags are language-neutral keys (slugs) with a name per language (home.TagName):
# remembered per language, forgotten when a name is saved or deleted (deleting a tag deletes
# its names). Tags themselves are made whenever an editor types a new one, so they do not
# make the memo forget: a tag without a name in a language is shown by its own name, which
# the caller has at hand (`localized_tags`, the listings' rows).
tag_names_memo = Memo("tag names")


def tag_names(language=None):
    """{slug: name} of the tags named in `language` (a language code; default: the active
    language); a tag not in it is shown by its own name. One query whatever the number of
    tags, and none while remembered."""
    language = language or active_locale().language_code

    def read():
        return dict(TagName.objects.filter(language=language).values_list("tag__slug", "name"))

    return tag_names_memo.get(language, read)


def localized_tags(tags, language=None):
    """[(slug, name)] of the given tags (taggit `Tag`s), named in `language`."""
    names = tag_names(language)
    return [(t.slug, names.get(t.slug, t.name)) for t in tags]


def localized_terms(model, fields=("name", "description"), locale=None):
    """[{"slug", field…, f"{field}_language"…}] of the live terms of a taxonomy, each field in
    `locale` (default: the active one) where the term is translated and the field not blank,
    else in the default language; `…_language` is the code of a field taken from the default
    language instead (None where it is in `locale`), for a `lang` attribute. One query."""
    model = _model(model)
    preferred = name_locales(locale)
    codes = {preferred[0]: None}
    if preferred[1] != preferred[0]:
        codes[preferred[1]] = default_locale().language_code
    rows = model.objects.filter(live=True, locale_id__in=preferred).values(
        "slug", "locale_id", *fields
    )
    found = {}
    # The default language's row first, so the visitor's own overwrites it field by field.
    for row in sorted(rows, key=lambda row: row["locale_id"] == preferred[0]):
        term = found.setdefault(row["slug"], {"slug": row["slug"]})
        for field in fields:
            if row[field] or field not in term:
                term[field] = row[field]
                term[f"{field}_language"] = codes[row["locale_id"]]
    return list(found.values())
