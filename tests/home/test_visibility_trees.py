"""A page's language versions keep its original's audience where the language trees differ.

Neither Wagtail nor wagtail-localize moves a page's translations and fallback pages with it, a
fallback page turned into a page of its own keeps no restriction, and a page first written in
another language than the default has no original in the default language: the rule
(home/visibility.py) still holds each version to its original's restrictions and
publication, when it is served and wherever pages are listed."""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from home.languages.trees import synchronize_locale_trees
from home.visibility import visible
from tests.factories import StandardPageFactory
from tests.utils import translate_page

pytestmark = pytest.mark.django_db

MARK = "quillonsecret"


def version(page, code):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code=code)


def published_page(parent, **fields):
    page = StandardPageFactory(parent=parent, **fields)
    page.save_revision().publish()
    return page


def assert_hidden(client, page, codes, status=302):
    """Each version is refused to a visitor and found on no public listing of its language."""
    for code in codes:
        shown = version(page, code)
        response = client.get(shown.url)
        assert response.status_code == status, (code, shown.url, response.status_code)
        assert MARK not in response.content.decode(), code
        assert not visible(Page.objects.filter(pk=shown.pk)).exists(), code
        for address in (
            f"/sitemap-{code}.xml",
            f"/api/v2/pages/?locale={code}&fields=title&limit=100",
        ):
            listed = client.get(address)
            assert listed.status_code == 200, address
            assert MARK not in listed.content.decode(), address


@pytest.fixture
def sections(home, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        members = published_page(home, title="Members", slug="members")
        open_section = published_page(home, title="Open", slug="open")
        PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    return members, open_section


def test_a_page_moved_into_a_restricted_section_takes_its_versions_with_it(
    client, sections, django_capture_on_commit_callbacks
):
    members, open_section = sections
    with django_capture_on_commit_callbacks(execute=True):
        page = published_page(open_section, title=f"{MARK} page", slug="quiet-page")
        synchronize_locale_trees()
        translate_page(page, "de", title=f"{MARK} Seite")
    assert client.get(version(page, "sv").url).status_code == 200  # public until it moves

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).move(members, pos="last-child")
    # The English page is in the members' section now; its German translation and Swedish
    # fallback page are where they were, under the open section of their trees.
    assert version(page, "sv").get_parent().translation_key == open_section.translation_key
    assert_hidden(client, page, ("en", "de", "sv"))
    for code in ("en", "de", "sv"):
        found = client.get(f"/{code}/search/?q={MARK}&format=json")
        assert found.status_code == 200 and found.json()["total"] == 0, code


def test_a_fallback_page_made_a_page_of_its_own_keeps_its_originals_restriction(
    client, admin_client, home, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = published_page(home, title=f"{MARK} page", slug="quiet-page")
        synchronize_locale_trees()
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    swedish = version(page, "sv")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtailadmin_pages:convert_alias", args=[swedish.pk]))
    assert response.status_code == 302
    swedish.refresh_from_db()
    assert swedish.alias_of_id is None and not swedish.view_restrictions.exists()
    assert_hidden(client, page, ("sv",))


def test_the_versions_of_a_page_first_written_in_german_follow_the_german_page(
    client, home_de, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        german = published_page(home_de, title=f"{MARK} Seite", slug="quiet-page")
        translate_page(german, "fr", title=f"{MARK} page")
    french = version(german, "fr")
    assert client.get(french.url).status_code == 200

    # Restricted after the French translation was made: the French one follows, and carries
    # a copy of the restriction in the admin.
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=german, restriction_type=PageViewRestriction.LOGIN
        )
    assert french.view_restrictions.exists()
    assert_hidden(client, german, ("de", "fr"))

    # Unpublished: the French one goes offline with it.
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
        Page.objects.get(pk=german.pk).unpublish()
    assert_hidden(client, german, ("de", "fr"), status=404)


def test_an_alias_copied_out_of_a_restricted_section_keeps_its_audience(
    client, admin_client, sections, django_capture_on_commit_callbacks
):
    """The admin's copy "as an alias" puts a page's alias in another section, with a
    translation key of its own: the section the page it shows sits in still governs it, in
    the default language and in a translation's tree."""
    members, open_section = sections
    with django_capture_on_commit_callbacks(execute=True):
        page = published_page(members, title=f"{MARK} page", slug="quiet-page")
        synchronize_locale_trees()
        translate_page(members, "de", title="Mitglieder")
        translate_page(page, "de", title=f"{MARK} Seite")
    aliases = []
    for code in ("en", "de"):
        form = {
            "new_title": f"{MARK} alias",
            "new_slug": f"alias-{code}",
            "new_parent_page": version(open_section, code).pk,
            "publish_copies": True,
            "alias": True,
        }
        with django_capture_on_commit_callbacks(execute=True):
            copied = admin_client.post(
                reverse("wagtailadmin_pages:copy", args=[version(page, code).pk]), form
            )
        assert copied.status_code == 302
        alias = Page.objects.get(slug=f"alias-{code}")
        assert alias.alias_of_id == version(page, code).pk
        aliases.append((alias, code))
    for alias, code in aliases:
        assert_hidden(client, alias, (code,))
        found = client.get(f"/{code}/search/?q={MARK}&format=json")
        assert found.status_code == 200 and found.json()["total"] == 0, code
