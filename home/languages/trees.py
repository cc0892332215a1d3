"""Keeping every language's page tree complete (wagtail-localize's locale synchronisation)."""

from django.conf import settings
from wagtail.models import Locale
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import PageIndex, synchronize_tree

from home.batching import batched_background_updates


def ensure_locales():
    """A Locale for every configured language; returns how many were created."""
    created = 0
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        _locale, was_created = Locale.objects.get_or_create(language_code=code)
        created += was_created
    return created


def synchronize_locale_trees():
    """Give every page of the default language a fallback page (an alias) in every other language.

    A language gets a LocaleSynchronization from the default language the first time (saving
    one synchronises its tree); existing ones are brought up to date, for pages created
    outside the admin (imports, scripts), where wagtail-localize's page-created hook does not run.
    The fallback pages' admin search entries and references are written once, at the end.
    """
    with batched_background_updates():
        _synchronize()


def _synchronize():
    default = Locale.get_default()
    existing = list(LocaleSynchronization.objects.select_related("locale", "sync_from"))
    if existing:
        page_index = PageIndex.from_database().sort_by_tree_position()
        for sync in existing:
            synchronize_tree(sync.sync_from, sync.locale, page_index=page_index)
    synced = {sync.locale_id for sync in existing}
    for locale in Locale.objects.exclude(pk=default.pk).exclude(pk__in=synced):
        LocaleSynchronization.objects.create(locale=locale, sync_from=default)
