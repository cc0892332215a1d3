"""A page moved, copied or deleted in the admin takes its language versions along (Wagtail's
views, given them by the hooks in home/wagtail_hooks.py)."""

import html

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from home.languages.trees import synchronize_locale_trees
from tests.factories import StandardPageFactory
from tests.home.test_visibility_trees import published_page, version
from tests.translations.conftest import make_user
from tests.utils import translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving(home, django_capture_on_commit_callbacks):
    """A page under "Projects", translated into German, with fallback pages elsewhere."""
    with django_capture_on_commit_callbacks(execute=True):
        projects = published_page(home, title="Projects", slug="projects")
        archive = published_page(home, title="Archive", slug="archive")
        page = published_page(projects, title="Clean buses", slug="clean-buses")
        synchronize_locale_trees()
        translate_page(page, "de", title="Saubere Busse")
    return page, projects, archive


@pytest.fixture
def editor(db):
    """A member of the Editors group, signed in."""
    signed_in = Client()
    signed_in.force_login(make_user("elena", "Editors"))
    return signed_in


def move(editor, page, destination, capture):
    """Move `page` as an editor does: the confirmation, then its button."""
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk])
    asked = editor.get(confirm)
    assert asked.status_code == 200
    with capture(execute=True):
        assert editor.post(confirm).status_code == 302
    return asked.content.decode()


def assert_refused_for_its_slug(page, messages, language, code):
    """The move was refused in Wagtail's words, naming the language; nothing moved."""
    said = [html.unescape(str(message)).strip() for message in messages]
    assert said == [
        "The slug 'clean-buses' is already in use at the selected parent page. Make sure"
        f" the slug is unique and try again. ({language})"
    ]
    for shown in ("en", code, "sv"):
        assert version(page, shown).get_parent().slug == "projects", shown


def test_an_original_moved_in_the_admin_takes_every_language_version_along(
    client, editor, moving, django_capture_on_commit_callbacks
):
    page, projects, archive = moving
    question = move(editor, page, archive, django_capture_on_commit_callbacks)
    # Wagtail counts the translations (the German one), not the fallback pages.
    assert "This will also move one translation of this page" in " ".join(question.split())
    for code, _name in settings.LANGUAGES:
        shown = version(page, code)
        parent = shown.get_parent()
        assert (parent.translation_key, parent.locale.language_code) == (
            archive.translation_key,
            code,
        )
        assert client.get(f"/{code}/archive/clean-buses/").status_code == 200, code
        # Wagtail's redirects app sends the former address on to the new one.
        former = client.get(f"/{code}/projects/clean-buses/")
        assert (former.status_code, former.url) == (301, f"/{code}/archive/clean-buses/"), code
    assert "Saubere Busse" in client.get("/de/archive/clean-buses/").content.decode()
    for section, holds_it in ((projects, False), (archive, True)):
        listed = client.get(f"/api/v2/pages/?child_of={version(section, 'de').pk}")
        assert listed.status_code == 200
        titles = [item["title"] for item in listed.json()["items"]]
        assert ("Saubere Busse" in titles) is holds_it, section.slug


def test_a_translation_moved_alone_leaves_the_original_where_it_is(
    editor, moving, django_capture_on_commit_callbacks
):
    page, _projects, archive = moving
    german = version(page, "de")
    question = move(editor, german, version(archive, "de"), django_capture_on_commit_callbacks)
    assert "This will also move" not in question
    assert version(page, "de").get_parent().translation_key == archive.translation_key
    for code in ("en", "sv"):
        assert version(page, code).get_parent().slug == "projects", code


def test_a_move_a_version_cannot_follow_is_refused_before_anything_moves(
    editor, moving, django_capture_on_commit_callbacks
):
    """A German page of its own under the German archive already has the slug: the move is
    refused with Wagtail's message, naming the language, and nothing moves."""
    page, projects, archive = moving
    with django_capture_on_commit_callbacks(execute=True):
        StandardPageFactory(parent=version(archive, "de"), slug="clean-buses", title="Busse")
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, archive.pk])
    for answer in (editor.get(confirm, follow=True), editor.post(confirm, follow=True)):
        assert answer.status_code == 200
        assert_refused_for_its_slug(page, answer.context["messages"], "German", "de")


def test_a_page_copied_in_the_admin_exists_in_every_language_and_versions_move_into_it(
    client, editor, moving, django_capture_on_commit_callbacks
):
    page, projects, archive = moving
    with django_capture_on_commit_callbacks(execute=True):
        published_page(archive, title="Old buses", slug="old-buses")
    form = {
        "new_title": "Archive 2027",
        "new_slug": "archive-2027",
        "new_parent_page": archive.get_parent().pk,
        "copy_subpages": True,
        "publish_copies": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        copied = editor.post(reverse("wagtailadmin_pages:copy", args=[archive.pk]), form)
    assert copied.status_code == 302
    for code, _name in settings.LANGUAGES:
        for address in (f"/{code}/archive-2027/", f"/{code}/archive-2027/old-buses/"):
            assert client.get(address).status_code == 200, address

    move(
        editor,
        page,
        Page.objects.get(slug="archive-2027", locale__language_code="en"),
        django_capture_on_commit_callbacks,
    )
    for code in ("en", "de", "sv"):
        assert client.get(f"/{code}/archive-2027/clean-buses/").status_code == 200, code


def test_an_original_deleted_in_the_admin_is_gone_in_every_language(
    client, editor, moving, django_capture_on_commit_callbacks
):
    page, projects, _archive = moving
    delete = reverse("wagtailadmin_pages:delete", args=[page.pk])
    asked = editor.get(delete)
    assert asked.status_code == 200
    assert "Deleting this page will also delete 1 translation of this page." in " ".join(
        asked.content.decode().split()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(delete).status_code == 302
    assert not Page.objects.filter(translation_key=page.translation_key).exists()
    for code, _name in settings.LANGUAGES:
        assert client.get(f"/{code}/projects/clean-buses/").status_code == 404, code
        assert client.get(f"/{code}/projects/").status_code == 200, code


def bulk(editor, action, pages, data, capture):
    """Wagtail's bulk action on the page listing, for `pages`."""
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    url += "?" + "&".join(f"id={page.pk}" for page in pages)
    assert editor.get(url).status_code == 200
    with capture(execute=True):
        return editor.post(url, data)


def test_a_bulk_move_and_a_bulk_delete_take_the_versions_along(
    client, editor, moving, django_capture_on_commit_callbacks
):
    page, projects, archive = moving
    with django_capture_on_commit_callbacks(execute=True):
        other = published_page(projects, title="Heat pumps", slug="heat-pumps")
        synchronize_locale_trees()
    moved = bulk(
        editor, "move", [page, other], {"chooser": archive.pk}, django_capture_on_commit_callbacks
    )
    assert moved.status_code == 302
    for code in ("en", "de", "sv", "ga"):
        for slug in ("clean-buses", "heat-pumps"):
            assert client.get(f"/{code}/archive/{slug}/").status_code == 200, (code, slug)

    deleted = bulk(editor, "delete", [page, other], {}, django_capture_on_commit_callbacks)
    assert deleted.status_code == 302
    for original in (page, other):
        assert not Page.objects.filter(translation_key=original.translation_key).exists()


def test_a_bulk_move_a_version_cannot_follow_is_refused(
    editor, moving, django_capture_on_commit_callbacks
):
    page, projects, archive = moving
    with django_capture_on_commit_callbacks(execute=True):
        StandardPageFactory(parent=version(archive, "fr"), slug="clean-buses", title="Bus")
    refused = bulk(
        editor, "move", [page], {"chooser": archive.pk}, django_capture_on_commit_callbacks
    )
    assert refused.status_code == 302
    assert_refused_for_its_slug(page, get_messages(refused.wsgi_request), "French", "fr")


def test_a_deleted_original_takes_versions_moved_elsewhere_and_its_subpages_ones(
    client, editor, moving, django_capture_on_commit_callbacks
):
    """A version moved on its own sits under none of the page's former parent's versions, so
    Wagtail's delete view passes over it: it is deleted after the page all the same, as are
    the versions of a deleted page's subpages that were moved on their own."""
    page, projects, archive = moving
    with django_capture_on_commit_callbacks(execute=True):
        other = published_page(projects, title="Heat pumps", slug="heat-pumps")
        synchronize_locale_trees()
        translate_page(other, "fr", title="Pompes à chaleur")
    move(editor, version(page, "de"), version(archive, "de"), django_capture_on_commit_callbacks)
    move(editor, version(other, "fr"), version(archive, "fr"), django_capture_on_commit_callbacks)

    delete = reverse("wagtailadmin_pages:delete", args=[page.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(delete).status_code == 302
    assert not Page.objects.filter(translation_key=page.translation_key).exists()
    assert client.get("/de/archive/clean-buses/").status_code == 404

    delete = reverse("wagtailadmin_pages:delete", args=[projects.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(delete).status_code == 302
    for original in (projects, other):
        assert not Page.objects.filter(translation_key=original.translation_key).exists()
    assert client.get("/fr/archive/heat-pumps/").status_code == 404
