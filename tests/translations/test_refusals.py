"""A refusal in the admin is the admin's own page: what was refused and why, a way back, in
the user's interface language, with status 403."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile

from tests.translations.conftest import make_user, shared_study, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(study_pk):
    """The conftest's study, made once for the module: no test here needs the site without it."""
    return shared_study(study_pk)


def page_in(page, code):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code=code)


def edit(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_a_french_page_refused_to_the_german_translator_says_why(client, translator, study):
    client.force_login(translator)
    response = client.get(edit(page_in(study, "fr")))
    assert response.status_code == 403
    assert "translations/refused.html" in [t.name for t in response.templates]
    assert "wagtailadmin/base.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "You translate into German; this page is in French." in html
    dashboard = reverse("translations:dashboard") + "?locale=de"
    assert f'href="{dashboard}"' in html
    german_home = page_in(study.get_parent().get_parent(), "de")
    assert f'href="{reverse("wagtailadmin_explore", args=[german_home.pk])}"' in html
    assert "Pages in German" in html


def test_the_refusal_is_in_the_users_interface_language(client, translator, study):
    profile = UserProfile.get_for_user(translator)
    profile.preferred_language = "de"
    profile.save()
    client.force_login(translator)
    response = client.get(edit(page_in(study, "fr")))
    assert response.status_code == 403
    reason = response.content.decode().split('class="refusal-reason">', 1)[1].split("<", 1)[0]
    assert reason == "Sie übersetzen in: Deutsch; Sprache dieser Seite: Französisch."
    assert "German" not in reason and "French" not in reason
    assert 'lang="de"' in response.content.decode()


def test_every_kind_of_refusal_explains_itself(client, translator, study, locales, topic):
    fr = translate(study, locales["fr"], publish=False)
    client.force_login(translator)
    cases = [
        (
            reverse("wagtail_localize:download_pofile", args=[fr.pk]),
            "You translate into German; this translation is into French.",
        ),
        (
            reverse("wagtailsnippets_home_topic:edit", args=[topic.pk]),
            "You translate into German; this item is in English.",
        ),
        (
            reverse("translations:dashboard") + "?locale=fr",
            "You translate into German; you asked for French.",
        ),
        (
            reverse("translations:changes", args=[fr.pk]),
            "You translate into German; this translation is into French.",
        ),
        (
            reverse("wagtail_localize:update_translations", args=[fr.source.pk]),
            "Only editors may do this: it changes the translations in every language.",
        ),
    ]
    for url, reason in cases:
        response = client.get(url)
        assert response.status_code == 403, url
        assert reason in response.content.decode(), url
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[study.pk]),
        {"locales": [locales["fr"].pk]},
    )
    assert response.status_code == 403
    assert "You translate into German; you asked for French." in response.content.decode()


def test_a_user_without_a_language_is_told_so(client, db):
    readers = Group.objects.create(name="Readers")
    readers.permissions.add(Permission.objects.get(codename="access_admin"))
    nobody = make_user("nobody", "Readers")
    client.force_login(nobody)
    response = client.get(reverse("translations:dashboard"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not translate into any language yet" in html
    assert f'href="{reverse("wagtailadmin_home")}"' in html


def test_a_client_asking_for_json_gets_json(client, translator, study):
    client.force_login(translator)
    response = client.get(edit(page_in(study, "fr")), headers={"accept": "application/json"})
    assert response.status_code == 403
    assert response.json() == {"detail": "You translate into German; this page is in French."}


def test_outside_the_admin_django_answers(client, rf):
    from django.core.exceptions import PermissionDenied

    from translations.forbidden import permission_denied

    request = rf.get("/en/")
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert b"refusal" not in response.content
