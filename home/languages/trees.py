"""Keeping every language's page tree complete (wagtail-localize's locale synchronisation)."""

from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.actions.delete_page import DeletePageAction
from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import PageIndex, synchronize_tree

from home.batching import batched_background_updates
from home.visibility import original_of, original_q


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
        page_index = page_index_from_database()
        for sync in existing:
            # wagtail-localize's own synchronisation, given the pages the language lacks:
            # it would otherwise read each page it already holds from the database again.
            missing = missing_from(page_index, sync.locale)
            if missing.pages:
                synchronize_tree(sync.sync_from, sync.locale, page_index=missing)
    synced = {sync.locale_id for sync in existing}
    for locale in Locale.objects.exclude(pk=default.pk).exclude(pk__in=synced):
        LocaleSynchronization.objects.create(locale=locale, sync_from=default)


def page_index_from_database():
    """wagtail-localize's PageIndex of every page, in tree order, as
    `PageIndex.from_database().sort_by_tree_position()` makes it, read in one pass over the
    pages where that asks the database twice for each page."""
    keys_by_path = {}  # of the pages with children: their children's parent keys
    locales = defaultdict(list)
    aliased_locales = defaultdict(list)
    originals = []
    rows = (
        Page.objects.filter(depth__gt=1)
        .order_by("path")
        .values_list(
            "path", "depth", "numchild", "translation_key", "locale_id", "alias_of_id",
            "content_type_id",
        )
    )  # fmt: skip
    for path, depth, numchild, key, locale_id, alias_of_id, content_type_id in rows.iterator(
        chunk_size=5000
    ):
        if numchild:
            keys_by_path[path] = key
        if alias_of_id is None:
            locales[key].append(locale_id)
            originals.append((path, depth, key, locale_id, content_type_id))
        else:
            aliased_locales[key].append(locale_id)
    locale_objects = Locale.objects.in_bulk()
    entries = [
        PageIndex.Entry(
            ContentType.objects.get_for_id(content_type_id),
            key,
            locale_objects[locale_id],
            keys_by_path.get(path[: -Page.steplen]) if depth > 2 else None,
            locales[key],
            aliased_locales[key],
        )
        for path, depth, key, locale_id, content_type_id in originals
    ]
    return PageIndex(entries).sort_by_tree_position()


def missing_from(page_index, locale):
    """The pages of `page_index` that have neither a translation nor a fallback page in
    `locale`, in the index's order."""
    return PageIndex(
        [
            entry
            for entry in page_index
            if locale.pk not in entry.locales and locale.pk not in entry.aliased_locales
        ]
    )


# --- Versions that follow their original in the admin (home/wagtail_hooks.py) -------------


def versions_following(page):
    """The translations and fallback pages that go with `page` when it is moved or deleted in
    the admin: all its language versions where it is their original, none otherwise."""
    if getattr(original_of(page), "pk", None) != page.pk:
        return []
    return list(Page.objects.translation_of(page, inclusive=False))


def versions_in_step(page, versions):
    """Those of `versions` that sit under a version of `page`'s parent, as Wagtail's move and
    delete views pick the versions to take along."""
    parents = set(page.get_parent().get_translations().values_list("path", flat=True))
    return [version for version in versions if version.path[: -Page.steplen] in parents]


def version_moves(page, destination):
    """[(version, new parent)]: where each version that follows `page` goes when `page` moves
    under `destination`, as Wagtail's move view moves them (under `destination`'s version in
    its language, where there is one)."""
    versions = versions_following(page)
    if not versions:
        return []
    new_parents = {parent.locale_id: parent for parent in destination.get_translations()}
    return [
        (version, new_parents[version.locale_id])
        for version in versions_in_step(page, versions)
        if version.locale_id in new_parents
    ]


def languages_with_slug_taken(moves):
    """The language codes of the `version_moves` whose slug is taken under the new parent."""
    return sorted(
        version.locale.language_code
        for version, parent in moves
        if not Page._slug_is_available(version.slug, parent, version)
    )


def versions_outside(page):
    """The language versions, outside `page`'s subtree, of each original in it (`page`
    included), parents first: what goes with `page` when it is deleted in the admin, wherever
    they sit (one moved on its own included)."""
    subtree = Page.objects.descendant_of(page, inclusive=True)
    keys = subtree.filter(original_q()).values("translation_key")
    return list(
        Page.objects.filter(translation_key__in=keys)
        .exclude(pk__in=subtree.values("pk"))
        .order_by("path")
        .values_list("pk", flat=True)
    )


def delete_versions(pks, user):
    """Delete the pages of `pks` that are still there (one under another goes with it), with
    Wagtail's action, as its delete view deletes a page's versions."""
    for pk in pks:
        page = Page.objects.filter(pk=pk).first()
        if page is not None:
            DeletePageAction(page.specific, user=user).execute(skip_permission_checks=True)
