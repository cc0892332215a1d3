"""Signal handlers: whatever changes which pages visitors may see re-indexes those pages
(search/indexing.py); editors' picks and the glossary, saved or deleted, are read afresh."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.visibility import language_versions
from search.glossary import glossary
from search.indexing import schedule_index, schedule_remove
from search.models import GlossaryTerm, GlossaryVariant
from search.query import promoted

promoted.forget_on(SearchPromotion, Query)
glossary.forget_on(GlossaryTerm, GlossaryVariant)


@receiver(page_published)
def index_on_publish(sender, instance, **kwargs):
    # Also sent when a page is only scheduled (and its fallback pages marked live by Wagtail): the
    # index then takes none of them, as visitors may not see them yet.
    if instance.alias_of_id:
        # Sent again for each fallback page as the publication is copied to it.
        schedule_index([instance.pk])
    else:
        # Its fallback pages announce themselves once the copy is made
        # (home/languages/fallback_updates.py).
        followers = Page.objects.filter(alias_of=instance.pk).values_list("pk", flat=True)
        schedule_index(language_versions([instance.pk]) - set(followers))


@receiver(page_unpublished)
def reindex_on_unpublish(sender, instance, **kwargs):
    # Its translations go offline with it; the page itself leaves the index.
    schedule_index(language_versions([instance.pk]))


@receiver(post_save)
def index_new_alias(sender, instance, created, **kwargs):
    # Fallback pages in other languages are created live without a publish signal.
    if created and isinstance(instance, Page) and instance.alias_of_id and instance.live:
        schedule_index([instance.pk])


@receiver(post_delete)
def remove_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and type(instance) is not Page:
        schedule_remove([instance.pk])


@receiver(post_page_move)
def reindex_on_move(sender, instance, **kwargs):
    # Into or out of a restricted section: the page and what is under it, and their language
    # versions, which may stay where they were (their original's restrictions govern them).
    ids = set(Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))
    schedule_index(ids | language_versions(ids))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def reindex_on_restriction_change(sender, instance, **kwargs):
    """A restriction governs its page's language versions and everything under them (which
    groups it lets in does not change what the public sees)."""
    schedule_index(language_versions([instance.page_id], descendants=True))
