"""A page moved in the admin takes its language versions with it (Wagtail's move view, given
them by the `construct_translated_pages_to_cascade_actions` hook in home/wagtail_hooks.py)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from home.languages.trees import synchronize_locale_trees
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


def move(page, destination, capture):
    """Move `page` as an editor does: the confirmation, then its button."""
    editor = Client()
    editor.force_login(make_user("elena", "Editors"))
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk])
    asked = editor.get(confirm)
    assert asked.status_code == 200
    with capture(execute=True):
        assert editor.post(confirm).status_code == 302
    return asked.content.decode()


def test_an_original_moved_in_the_admin_takes_every_language_version_along(
    client, moving, django_capture_on_commit_callbacks
):
    page, projects, archive = moving
    question = move(page, archive, django_capture_on_commit_callbacks)
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
    moving, django_capture_on_commit_callbacks
):
    page, _projects, archive = moving
    german = version(page, "de")
    question = move(german, version(archive, "de"), django_capture_on_commit_callbacks)
    assert "This will also move" not in question
    assert version(page, "de").get_parent().translation_key == archive.translation_key
    for code in ("en", "sv"):
        assert version(page, code).get_parent().slug == "projects", code
