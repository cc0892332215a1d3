"""Fallback pages follow their original's publication in the background.

When a page is published, Wagtail copies it into each of its aliases, the fallback pages that
show it in the 23 other languages (`Page.update_aliases`): every alias saved with its child
relations, some sixty queries each, most of the time of the editor's publish. The copy is
queued as a task instead (settings.TASKS), with the change, and the task worker makes it
within seconds of the commit: until then the fallback pages show the previous publication,
as the search index does (docs/operations.md, "The workers"). With the immediate backend
(bulk commands, the tests) it is made at once, as Wagtail would.

The task does exactly what Wagtail's publish would have done, with the same revision, in
one transaction (so the search work it causes is queued once).
"""

from django.db import transaction
from django_tasks import task
from wagtail.models import Page, Revision

from home.queueing import now_or_queued
from home.switches import ThreadSwitch

# On inside the task: `update_aliases` then copies instead of queuing.
copying_now = ThreadSwitch()


def queue_copy(page, revision):
    now_or_queued(update_fallback_pages).enqueue(
        page_id=page.pk, revision_id=revision.pk if revision is not None else None
    )


@task()
def update_fallback_pages(page_id, revision_id=None):
    """Copy the page's publication into its fallback pages (Wagtail's `update_aliases`)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    page = page.specific
    revision = Revision.objects.filter(pk=revision_id).first() if revision_id else None
    content = revision.content if revision is not None else None
    with copying_now.on(), transaction.atomic():
        page.update_aliases(revision=revision, _content=content)
    return Page.objects.filter(alias_of=page).count()
