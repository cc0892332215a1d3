"""Index updates while the Elasticsearch cluster cannot be reached: kept as pending updates
and retried by the scheduled worker, never lost; the editor's publish never fails for it.

No cluster can run on these machines; an address where nothing listens (port 9) is a
cluster that is down, for real: the client's connection is refused.
"""

import pytest
from django.core.management import call_command

from search.models import IndexEntry, PendingIndexUpdate
from search.query import search
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from tests.search.conftest import engine_back, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_page(home):
    return CaseStudyIndexPageFactory(parent=home)


def test_publishing_with_the_cluster_down_keeps_the_update_and_the_worker_retries_it(
    index_page, engine_down, django_capture_on_commit_callbacks
):
    page = CaseStudyPageFactory(parent=index_page, title="Tartu buys wooden schools")
    publish(page, django_capture_on_commit_callbacks)  # no error for the editor

    pending = PendingIndexUpdate.objects.get(page_id=page.pk)
    assert not pending.remove and pending.attempts == 0
    assert "127.0.0.1:9" in pending.last_error or "Connection" in pending.last_error
    # The database's own index took the page (a fallback search finds it meanwhile).
    before = set(IndexEntry.objects.filter(page_id=page.pk).values_list("pk", flat=True))
    assert before
    assert search("wooden schools", "en", log=False).total == 1

    # Only this page's update waits: ids queued by earlier tests' rolled-back transactions
    # are flushed with this commit too, and a retry stops at the first batch that fails.
    PendingIndexUpdate.objects.exclude(page_id=page.pk).delete()
    # A worker run while the cluster is still down: the update stays, counted.
    call_command("run_worker", "--once")
    pending.refresh_from_db()
    assert pending.attempts == 1

    engine_back(engine_down)
    call_command("run_worker", "--once")
    assert not PendingIndexUpdate.objects.exists()
    after = set(IndexEntry.objects.filter(page_id=page.pk).values_list("pk", flat=True))
    assert after and after.isdisjoint(before)  # indexed anew by the retry
    results = search("wooden schools", "en", log=False)
    assert results.total == 1 and not results.degraded


def test_a_deletion_with_the_cluster_down_is_kept_and_retried(
    index_page, engine_down, django_capture_on_commit_callbacks
):
    page = CaseStudyPageFactory(parent=index_page, title="Lyon buys bicycles")
    publish(page, django_capture_on_commit_callbacks)
    page_id = page.pk
    PendingIndexUpdate.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert PendingIndexUpdate.objects.get(page_id=page_id).remove

    engine_back(engine_down)
    call_command("retry_index_updates")
    assert not PendingIndexUpdate.objects.exists()
    assert not IndexEntry.objects.filter(page_id=page_id).exists()


def test_with_the_engine_up_nothing_is_kept(index_page, django_capture_on_commit_callbacks):
    page = CaseStudyPageFactory(parent=index_page, title="Porto buys electric ferries")
    publish(page, django_capture_on_commit_callbacks)
    assert IndexEntry.objects.filter(page_id=page.pk).exists()
    assert not PendingIndexUpdate.objects.exists()


def test_the_latest_wish_for_a_page_wins(index_page, engine_down):
    from search.indexing import keep_pending

    keep_pending({7}, set(), OSError("down"))
    keep_pending(set(), {7}, OSError("still down"))
    (pending,) = PendingIndexUpdate.objects.all()
    assert pending.page_id == 7 and pending.remove and "still down" in pending.last_error
