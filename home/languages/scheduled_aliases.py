"""Fallback pages of a scheduled page stay offline until the page goes live (wagtail#11344).

When an editor schedules a page that has never been live, Wagtail leaves the page offline
but publishes its aliases at once (`Page.update_aliases` marks every alias live): the
fallback pages in 23 languages would go live before their original. The visibility rule
(home/visibility.py) already keeps them from visitors; this keeps the pages' own state
truthful too, for the admin and for anything that reads `live`. Each alias Wagtail publishes
announces itself (`page_published` with `alias=True`); one whose original is not live is
marked offline again. When the original goes live, Wagtail publishes its aliases with it.

Written for Wagtail 8.0's `Page.update_aliases`: where that code changes (its digest, checked
as the site starts: home/upstream.py) it switches itself off with a warning, and
tests/home/test_scheduling.py tells when upstream no longer needs it.
"""

from wagtail.models import Page
from wagtail.signals import page_published

from home.upstream import written_for

# The digest of the source of upstream's `Page.update_aliases`, which publishes every alias.
UPSTREAM_DIGEST = "3ee2e1b16e5c37fc"


def keep_alias_offline(sender, instance, alias=False, **kwargs):
    if not alias or not instance.alias_of_id or not instance.live:
        return
    if not Page.objects.filter(pk=instance.alias_of_id, live=True).exists():
        Page.objects.filter(pk=instance.pk).update(live=False)
        instance.live = False


def connect():
    workaround = "home/languages/scheduled_aliases.py (wagtail#11344)"
    if written_for(Page.update_aliases, UPSTREAM_DIGEST, workaround):
        page_published.connect(keep_alias_offline, dispatch_uid="home.languages.scheduled_aliases")
