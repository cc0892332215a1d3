"""The index follows the site: publish, unpublish, delete and move; rebuild; the admin's own
search and the popular-searches report keep working."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from home.languages.trees import synchronize_locale_trees
from search.models import IndexEntry, IndexFilter
from search.query import search
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    NewsIndexPageFactory,
    StandardPageFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_page(home):
    return CaseStudyIndexPageFactory(parent=home)


def publish(page, capture):
    with capture(execute=True):
        page.save_revision().publish()


def test_publishing_indexes_the_page_and_its_fallback_pages(
    index_page, django_capture_on_commit_callbacks
):
    page = CaseStudyPageFactory(
        parent=index_page,
        title="Vilnius buys refurbished laptops",
        topics=[TopicFactory(slug="ict")],
        tags=["refurbished"],
    )
    synchronize_locale_trees()
    publish(page, django_capture_on_commit_callbacks)
    entries = IndexEntry.objects.filter(title="Vilnius buys refurbished laptops")
    # The original and, republished with it, its fallback pages in the 23 other languages.
    assert entries.count() == 24
    english = entries.get(locale="en")
    assert not english.is_fallback
    finnish = entries.get(locale="fi")
    assert finnish.is_fallback and finnish.language == "en"
    assert set(IndexFilter.objects.filter(entry=english).values_list("name", "value")) >= {
        ("topic", "ict"),
        ("tag", "refurbished"),
        ("country", "BE"),
        ("year", "2021"),
        ("type", "casestudies.casestudypage"),
    }
    assert search("laptop", "fi", log=False).total == 1


def test_changes_are_reindexed(index_page, django_capture_on_commit_callbacks):
    page = CaseStudyPageFactory(parent=index_page, title="Old title")
    publish(page, django_capture_on_commit_callbacks)
    page.title = "Riga renovates its schools"
    publish(page, django_capture_on_commit_callbacks)
    assert search("renovation school", "en", log=False).total == 1
    assert search("old title", "en", log=False).total == 0


def test_unpublishing_and_deleting_remove_entries(index_page, django_capture_on_commit_callbacks):
    page = CaseStudyPageFactory(parent=index_page, title="Tallinn tenders bus depots")
    publish(page, django_capture_on_commit_callbacks)
    assert IndexEntry.objects.filter(page=page).exists()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not IndexEntry.objects.filter(page=page).exists()
    assert search("depots", "en", log=False).total == 0
    publish(page, django_capture_on_commit_callbacks)
    assert search("depots", "en", log=False).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert search("depots", "en", log=False).total == 0


def test_moving_reindexes_the_subtree(home, django_capture_on_commit_callbacks):
    parent = StandardPageFactory(parent=home, title="Archive", slug="archive")
    child = StandardPageFactory(parent=parent, title="Old seminar report", slug="report")
    news = NewsIndexPageFactory(parent=home)
    publish(child, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        parent.move(news, pos="last-child")
    assert IndexEntry.objects.filter(page=child).exists()
    assert search("seminar report", "en", log=False).hits[0].url == "/en/news/archive/report/"


def test_rebuild_command_reports_progress(index_page, capsys):
    for n in range(3):
        CaseStudyPageFactory(parent=index_page, title=f"Study {n}")
    call_command("rebuild_search_index", batch_size=2)
    out = capsys.readouterr().out
    assert "Rebuilding the search index" in out
    assert "(100%)" in out and "Indexed" in out
    assert IndexEntry.objects.filter(title__startswith="Study").count() == 3


def test_the_admins_own_search_still_works(client, index_page, admin_user):
    CaseStudyPageFactory(parent=index_page, title="Porto composts canteen waste")
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "Porto"})
    assert response.status_code == 200
    assert "Porto composts canteen waste" in response.content.decode()


def test_popular_searches_report(client, admin_user, index_page):
    CaseStudyPageFactory(parent=index_page, title="Ghent school meals")
    call_command("rebuild_search_index", verbosity=0)
    for _ in range(3):
        search("school meals", "en")
    search("nothing like this", "de")
    client.force_login(admin_user)
    response = client.get(reverse("popular_searches"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "school meals" in body and "nothing like this" in body
    response = client.get(reverse("popular_searches"), {"locale": "de"})
    assert "school meals" not in response.content.decode()


def test_rebuild_shares_work_among_processes_only_where_they_can_see_the_rows(db):
    """Worker processes have their own connections: not on SQLite (one writer), and not
    inside a transaction, whose rows they could not see (as in every test here)."""
    from django.db import connection, transaction

    from search.indexing import rebuild_workers

    assert rebuild_workers(4, batches=10) == 1  # tests run inside a transaction
    with transaction.atomic():
        assert rebuild_workers(None, batches=10) == 1
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        expected = 4 if connection.vendor == "postgresql" else 1
        assert rebuild_workers(4, batches=10) == expected
        assert rebuild_workers(4, batches=2) == min(expected, 2)
        assert rebuild_workers(0, batches=2) == 1
    finally:
        connection.in_atomic_block = saved
