"""A translation has its original's view restrictions (see docs/translations.md).

A page's language versions share one audience. Fallback pages (aliases) answer to their original's
restrictions by Wagtail's own rule; translations are pages of their own, so they carry copies
of the original's restrictions: the same kind, password and groups. Copies are made

- when wagtail-localize creates or updates a translation (its `sync_view_restrictions`,
  replaced by this module's `sync_restrictions` in translations/restriction_sync.py:
  upstream leaves the groups out of a new copy, overwrites the translation's first
  restriction and removes every restriction of a translation whose original has none);
- when a translation is created in any other way (a copy for translation, say);
- whenever a restriction is added to, changed on or removed from the original (the page of
  the default language, or of the language it was first written in: `original_of` in
  home/visibility.py): its translations follow at once, in the same transaction.

The copies are what the admin shows of a translation's privacy; visitors are held to the
original's restrictions whether or not a copy exists (home/visibility.py, rule 3).

Each copy is recorded (`RestrictionCopy`), so an editor may still restrict a single
translation on its own: that restriction is never changed or removed with the original's.
A visitor then passes both.
"""

from django.db.models.signals import m2m_changed, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction

from home.visibility import original_of
from translations.models import RestrictionCopy


def is_original(page):
    """Whether the page is an original whose restrictions its translations carry."""
    if page.alias_of_id:
        return False
    original = original_of(page)
    return original is not None and original.pk == page.pk


def translations_of(page):
    """The other language versions of an original that are translations (not fallback pages)."""
    return Page.objects.filter(translation_key=page.translation_key, alias_of__isnull=True).exclude(
        pk=page.pk
    )


def copy_restriction(restriction, translation):
    """Give `translation` its copy of the original's `restriction`, made or brought up to
    date: the same kind, password and groups."""
    link = (
        RestrictionCopy.objects.select_related("copy")
        .filter(original=restriction, copy__page=translation)
        .first()
    )
    copy = link.copy if link else PageViewRestriction(page=translation)
    if (
        copy.pk is None
        or copy.restriction_type != restriction.restriction_type
        or copy.password != restriction.password
    ):
        copy.restriction_type = restriction.restriction_type
        copy.password = restriction.password
        copy.save()
    if link is None:
        RestrictionCopy.objects.create(original=restriction, copy=copy)
    groups = set(restriction.groups.values_list("pk", flat=True))
    if set(copy.groups.values_list("pk", flat=True)) != groups:
        copy.groups.set(groups)


def sync_restrictions(original, translation):
    """Bring a translation's copies in line with its original's restrictions."""
    for restriction in original.view_restrictions.all():
        copy_restriction(restriction, translation)
    stale = RestrictionCopy.objects.filter(copy__page=translation).exclude(original__page=original)
    for link in stale.select_related("copy"):
        link.copy.delete()


# --- Signals ---------------------------------------------------------------------------


def _restriction_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.select_related("locale").filter(pk=instance.page_id).first()
    if page is not None and is_original(page):
        for translation in translations_of(page):
            copy_restriction(instance, translation)


def _restriction_groups_changed(sender, instance, action, reverse, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        _restriction_saved(PageViewRestriction, instance)


def _restriction_removed(sender, instance, **kwargs):
    """The copies of a restriction go with it (before it: they are found through it)."""
    links = RestrictionCopy.objects.filter(original_id=instance.pk).select_related("copy")
    for link in links:
        link.copy.delete()


def _page_created(sender, instance, created, raw=False, **kwargs):
    """A translation made outside wagtail-localize's sync takes its original's restriction."""
    if not created or raw or not isinstance(instance, Page) or instance.alias_of_id:
        return
    if instance.depth is None or instance.depth < 2:
        return
    original = original_of(instance)
    if original is not None and original.pk != instance.pk:
        sync_restrictions(original, instance)


def connect():
    post_save.connect(
        _restriction_saved, sender=PageViewRestriction, dispatch_uid="restriction saved"
    )
    pre_delete.connect(
        _restriction_removed, sender=PageViewRestriction, dispatch_uid="restriction removed"
    )
    m2m_changed.connect(
        _restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="restriction groups changed",
    )
    post_save.connect(_page_created, dispatch_uid="translation created")
