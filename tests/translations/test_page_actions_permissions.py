"""Admin actions that reach beyond the page they are asked of: a delete or a move that takes
the page's versions in other languages along, a fallback page turned into a page of its own,
and the snippet copy address. A translator may do none of them outside their languages."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

from home.models import Topic
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_original(home_de, locales, translator):
    """A page written first in German (under the German home page), translated into French by
    an editor and published there."""
    page = StandardPageFactory(
        parent=home_de, slug="nur-deutsch", title="Nur deutsch", live=False, owner=translator
    )  # a draft of the German translator's: Wagtail lets them delete it
    french = page.copy_for_translation(locales["fr"], copy_parents=True)
    french.save_revision().publish()
    return page


def versions(page):
    return sorted(
        Page.objects.filter(translation_key=page.translation_key).values_list(
            "locale__language_code", flat=True
        )
    )


def test_a_translator_may_not_delete_a_page_whose_versions_would_go_along(
    client, translator, german_original
):
    client.force_login(translator)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[german_original.pk]))
    assert response.status_code == 403
    assert "French" in response.content.decode()
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    assert client.post(f"{bulk}?id={german_original.pk}").status_code == 403
    every = f"{bulk}?id=all&childOf={german_original.get_parent().pk}"
    assert client.post(every).status_code == 403
    assert versions(german_original) == ["de", "fr"]


def test_a_translator_may_not_move_a_page_whose_versions_would_go_along(
    client, translator, german_original, home_de
):
    destination = StandardPageFactory(parent=home_de, slug="ziel", title="Ziel")
    client.force_login(translator)
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[german_original.pk, destination.pk])
    assert client.post(confirm).status_code == 403
    choose = reverse("wagtailadmin_pages:move", args=[german_original.pk])
    assert client.get(choose).status_code == 403
    assert Page.objects.get(pk=german_original.pk).get_parent().pk == home_de.pk


def test_a_translator_may_delete_a_page_of_their_language_alone(client, translator, home_de):
    # Wagtail lets a user who may add pages delete their own that are not live.
    page = StandardPageFactory(
        parent=home_de, slug="entwurf", title="Entwurf", live=False, owner=translator
    )
    client.force_login(translator)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()


def test_a_move_into_another_languages_tree_is_refused(client, translator, home, home_de):
    page = StandardPageFactory(parent=home_de, slug="wandernd", title="Wandernd")
    page.save_revision()
    client.force_login(translator)
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, home.pk])
    assert client.post(confirm).status_code == 403
    assert Page.objects.get(pk=page.pk).get_parent().pk == home_de.pk


@pytest.fixture
def fallback_page(home, locales):
    from home.languages.trees import synchronize_locale_trees

    page = StandardPageFactory(parent=home, slug="original", title="Original")
    page.save_revision().publish()
    synchronize_locale_trees()
    return Page.objects.get(translation_key=page.translation_key, locale=locales["de"])


def test_only_editors_turn_a_fallback_page_into_a_page_of_its_own(
    client, translator, editor, fallback_page
):
    url = reverse("wagtailadmin_pages:convert_alias", args=[fallback_page.pk])
    client.force_login(translator)
    response = client.post(url)
    assert response.status_code == 403
    assert "no longer follow its original" in response.content.decode()
    assert Page.objects.get(pk=fallback_page.pk).alias_of_id is not None
    client.force_login(editor)
    assert client.post(url).status_code == 302
    assert Page.objects.get(pk=fallback_page.pk).alias_of_id is None


@pytest.mark.parametrize("who", ["translator", "superuser"])
def test_the_snippet_copy_address_takes_no_post(client, request, locales, who):
    from tests.translations.conftest import make_user

    topic = Topic.objects.create(name="Energie", slug="energie", locale=locales["de"])
    topic.save_revision().publish()
    user = request.getfixturevalue("translator") if who == "translator" else None
    user = user or make_user("root", superuser=True)
    client.force_login(user)
    url = reverse("wagtailsnippets_home_topic:copy", args=[topic.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Kopie", "slug": "kopie"})
    assert response.status_code == 405
    topic.refresh_from_db()
    assert (topic.name, topic.slug, topic.live) == ("Energie", "energie", True)
    assert Topic.objects.filter(locale=Locale.objects.get(language_code="de")).count() == 1
