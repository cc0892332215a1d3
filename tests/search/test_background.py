"""Publishing leaves the search work to the task worker: the editor's request queues it (in
the database, with the change) and the worker does it after the commit.

The suite runs queued work at once (procura/settings/test.py); these tests use the database
queue of production and run what it holds as `manage.py db_worker` does, task by task.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page
from wagtail.signals import page_published

from home.languages.trees import synchronize_locale_trees
from search.models import IndexEntry
from search.query import search
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from tests.utils import edit_form_data

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queued(settings):
    settings.TASKS = QUEUE
    return settings


@pytest.fixture
def study(home, django_capture_on_commit_callbacks):
    # Indexed as they are made (whichever backend is set), so that the publish's queued work
    # is only its own.
    with django_capture_on_commit_callbacks(execute=True):
        index = CaseStudyIndexPageFactory(parent=home)
        page = CaseStudyPageFactory(parent=index, title="Tartu buys larchwood schools")
        synchronize_locale_trees()
    run_queued_tasks(django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()
    return page


def run_queued_tasks(capture):
    """What the worker does with each ready task: claim it, run it (outside any transaction
    of the test's, so that what it queues on commit is queued), record the outcome."""
    ran = 0
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim("test-worker")
        task_result = result.task_result
        with capture(execute=True):
            value = result.task.call(*task_result.args, **task_result.kwargs)
        result.set_successful(value)
        ran += 1
    return ran


def publish_in_admin(client, page, capture, **changes):
    data = edit_form_data(client, page)
    data.update(changes)
    data["action-publish"] = "action-publish"
    with capture(execute=True):
        response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_publish_queues_the_copies_and_the_index_work_and_the_worker_does_them(
    admin_client, study, queued, django_capture_on_commit_callbacks
):
    german = Page.objects.get(translation_key=study.translation_key, locale__language_code="de")
    assert german.alias_of_id == study.pk

    publish_in_admin(
        admin_client,
        study,
        django_capture_on_commit_callbacks,
        title="Tartu builds larchwood schools",
    )

    # The request published the page and queued the rest; it did none of it.
    study.refresh_from_db()
    assert study.title == "Tartu builds larchwood schools" and study.live
    assert Page.objects.get(pk=german.pk).title == "Tartu buys larchwood schools"
    # (The page may be indexed as it was made, by earlier work of the test's thread.)
    before = [hit.title for hit in search("larchwood", "en", log=False).hits]
    assert "Tartu builds larchwood schools" not in before
    assert IndexEntry.objects.get(page_id=german.pk).title == "Tartu buys larchwood schools"
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert {task.task_path for task in waiting} >= {
        "home.languages.fallback_updates.update_fallback_pages",
        "search.indexing.update_index",
    }

    assert run_queued_tasks(django_capture_on_commit_callbacks) >= 2
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    found = search("larchwood", "en", log=False)
    assert [hit.title for hit in found.hits] == ["Tartu builds larchwood schools"]
    # The German fallback page got the new text, and the index has it too.
    assert Page.objects.get(pk=german.pk).title == "Tartu builds larchwood schools"
    assert IndexEntry.objects.get(page_id=german.pk).title == "Tartu builds larchwood schools"


def test_each_language_version_is_indexed_once_a_publish(
    admin_client, study, queued, django_capture_on_commit_callbacks
):
    """Wagtail announces the publication once for the page and once for each fallback page
    as the copy reaches it: the queued index work names each page once, however many
    languages there are."""
    publish_in_admin(admin_client, study, django_capture_on_commit_callbacks)
    run_queued_tasks(django_capture_on_commit_callbacks)
    versions = Page.objects.filter(translation_key=study.translation_key).count()
    assert versions == 24
    named = [
        pk
        for task in DBTaskResult.objects.filter(task_path="search.indexing.update_index")
        for pk in task.task_result.kwargs["index"]
    ]
    assert sorted(named) == sorted(set(named))
    assert len(named) >= versions


def test_an_admin_action_that_fails_half_way_changes_nothing(
    admin_client, study, django_capture_on_commit_callbacks
):
    """The publish fails after Wagtail has saved the revision and made it live: the whole
    action is rolled back, not only the step that failed (operations/transactions.py)."""
    before = study.live_revision_id

    def fail(sender, instance, **kwargs):
        raise RuntimeError("a step after the publish failed")

    page_published.connect(fail)
    try:
        with pytest.raises(RuntimeError):
            publish_in_admin(
                admin_client, study, django_capture_on_commit_callbacks, title="Half-published"
            )
    finally:
        page_published.disconnect(fail)

    study.refresh_from_db()
    assert study.title == "Tartu buys larchwood schools"
    assert study.live_revision_id == before
    assert not Page.objects.filter(title="Half-published").exists()


def test_the_scheduled_worker_deletes_finished_tasks_after_a_week(queued, monkeypatch):
    from operations.management.commands import run_worker

    def finished(days_ago):
        result = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {"index": [], "remove": []}},
            task_path="search.indexing.update_index",
            backend_name="default",
            run_after=timezone.now(),
            status=TaskResultStatus.SUCCESSFUL,
        )
        DBTaskResult.objects.filter(pk=result.pk).update(
            finished_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        return result.pk

    old, recent = finished(8), finished(2)
    monkeypatch.setitem(run_worker._pruned_on, "prune_db_task_results", None)
    call_command("run_worker", "--once")
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent}
    assert old != recent
