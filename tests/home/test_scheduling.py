"""Scheduled publishing and expiry: a page and its language versions go live together, when
the worker (`manage.py run_worker`, started by `make run`) finds their time has come, and
leave together when they expire."""

import datetime
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision
from wagtail.signals import page_published

from home.languages import scheduled_aliases
from operations.management.commands import run_worker
from search.models import IndexEntry
from tests.factories import NewsIndexPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db


def synchronise_languages():
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def news(home):
    index = NewsIndexPageFactory(parent=home)
    index.save_revision().publish()
    return index


def schedule(page, when):
    """What the editor's "Schedule to publish" does: a revision approved to go live then."""
    page.go_live_at = when
    page.save_revision().publish()
    page.refresh_from_db()


def time_passes(page):
    """The scheduled time of the page's revision is now behind us."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    due = Revision.page_revisions.filter(object_id=str(page.pk)).exclude(approved_go_live_at=None)
    for revision in due:
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save(update_fields=["approved_go_live_at", "content"])


def versions(page):
    return Page.objects.filter(translation_key=page.translation_key)


def test_a_scheduled_page_and_its_fallback_pages_go_live_together(
    client, news, django_capture_on_commit_callbacks
):
    item = NewsPageFactory(parent=news, title="Heat pumps webinar recap", live=False)
    item.save_revision()
    synchronise_languages()
    assert versions(item).count() == 24

    with django_capture_on_commit_callbacks(execute=True):
        schedule(item, timezone.now() + datetime.timedelta(hours=1))
    assert not item.live
    # Wagtail marks the fallback pages live at once (wagtail#11344); they stay offline here.
    assert not versions(item).filter(live=True).exists()
    for language in ("en", "de", "sv"):
        assert client.get(f"/{language}/news/{item.slug}/").status_code == 404
        assert "Heat pumps webinar recap" not in client.get(f"/{language}/news/").content.decode()
    assert not IndexEntry.objects.filter(page__translation_key=item.translation_key).exists()

    # Before its time, the worker leaves it alone.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_worker", "--once")
    assert not versions(item).filter(live=True).exists()

    time_passes(item)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_worker", "--once")
    assert versions(item).filter(live=True).count() == 24
    for language in ("en", "de", "sv"):
        assert client.get(f"/{language}/news/{item.slug}/").status_code == 200
        assert "Heat pumps webinar recap" in client.get(f"/{language}/news/").content.decode()
    assert IndexEntry.objects.filter(page__translation_key=item.translation_key).count() == 24


def test_wagtail_still_publishes_the_fallback_pages_of_a_scheduled_page(news):
    """Upstream's behaviour that home/languages/scheduled_aliases.py works around. When this fails,
    Wagtail keeps the aliases of a scheduled page offline itself: remove the workaround."""
    item = NewsPageFactory(parent=news, live=False)
    item.save_revision()
    synchronise_languages()
    page_published.disconnect(dispatch_uid="home.languages.scheduled_aliases")
    try:
        schedule(item, timezone.now() + datetime.timedelta(hours=1))
    finally:
        scheduled_aliases.connect()
    assert not item.live
    assert versions(item).filter(live=True).count() == 23


def test_an_expired_page_goes_with_its_language_versions(
    client, news, django_capture_on_commit_callbacks
):
    item = NewsPageFactory(parent=news, title="Old webinar")
    item.save_revision().publish()
    synchronise_languages()
    with django_capture_on_commit_callbacks(execute=True):
        item.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        item.save_revision().publish()
    assert versions(item).filter(live=True).count() == 24  # the worker has not run yet
    for language in ("en", "de", "sv"):
        assert client.get(f"/{language}/news/{item.slug}/").status_code == 404
        assert "Old webinar" not in client.get(f"/{language}/news/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_worker", "--once")
    item.refresh_from_db()
    assert item.expired and not item.live
    assert not versions(item).filter(live=True).exists()
    assert not IndexEntry.objects.filter(page__translation_key=item.translation_key).exists()


def test_a_failing_job_is_logged_and_the_next_one_runs(monkeypatch, caplog):
    ran = []

    def failing():
        raise RuntimeError("database went away")

    monkeypatch.setattr(run_worker, "JOBS", [failing, lambda: ran.append(True)])
    with caplog.at_level(logging.ERROR, logger="procura.worker"):
        run_worker.run_jobs()
    assert ran == [True]
    assert "Scheduled job failing failed" in caplog.text


def test_the_worker_says_what_it_published(news, caplog):
    item = NewsPageFactory(parent=news, title="Seminar", live=False)
    schedule(item, timezone.now() + datetime.timedelta(hours=1))
    time_passes(item)
    with caplog.at_level(logging.INFO, logger="procura.worker"):
        run_worker.publish_scheduled()
        assert "Seminar (page" in caplog.text
        assert "published at its scheduled time" in caplog.text
        caplog.clear()
        run_worker.publish_scheduled()  # nothing left to do: nothing said
        assert caplog.text == ""
