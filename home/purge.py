"""Telling the frontend cache what to forget when who may see pages changes.

Wagtail's frontend cache module purges a page when it is published or unpublished; a view
restriction added, changed or removed changes what visitors may see of its page's language
versions and everything under them, so those are purged too, once the change is committed.
Nothing happens where no frontend cache is configured (`WAGTAILFRONTENDCACHE`).
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.models import Page, PageViewRestriction

from home.visibility import language_versions


def purge_pages(page_ids):
    pages = Page.objects.filter(pk__in=page_ids).specific()
    purge_pages_from_cache(pages)


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if raw or not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    ids = language_versions([instance.page_id], descendants=True)
    if ids:
        transaction.on_commit(lambda: purge_pages(ids))


def connect():
    uid = "home.purge"
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid)
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid)
