"""A translation carries its original's view restriction (translations/restrictions.py): when
it is made, and whenever the original's restriction is added, changed or removed in the
admin; a translation's own restriction stays."""

import json

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail_localize.models import TranslationSource

from search.models import IndexEntry
from tests.translations.conftest import shared_study, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(study_pk):
    """The conftest's study, made once for the module: no test here needs the site without it."""
    return shared_study(study_pk)


def set_privacy(client, page, restriction_type, password="", groups=()):
    """What the admin's privacy dialog posts."""
    response = client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[page.pk]),
        {"restriction_type": restriction_type, "password": password, "groups": list(groups)},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["step"] == "set_privacy_done"


def kept(page):
    """(kind, password, group names) of each restriction on a page."""
    return [
        (r.restriction_type, r.password, sorted(r.groups.values_list("name", flat=True)))
        for r in PageViewRestriction.objects.filter(page=page).order_by("pk")
    ]


@pytest.fixture
def german(study, locales, django_capture_on_commit_callbacks):
    translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    page = Page.objects.get(translation_key=study.translation_key, locale=locales["de"])
    assert page.alias_of_id is None
    return page


def test_restrictions_set_in_the_admin_reach_the_translations(admin_client, study, german):
    french = Page.objects.get(translation_key=study.translation_key, locale__language_code="fr")
    assert french.alias_of_id == study.pk  # a fallback page: governed by the original, no copy

    set_privacy(admin_client, study, "password", password="members-2027")
    assert kept(german) == [("password", "members-2027", [])]
    assert kept(french) == []

    members = Group.objects.create(name="Members")
    set_privacy(admin_client, study, "groups", groups=[members.pk])
    assert kept(german) == [("groups", "", ["Members"])]

    set_privacy(admin_client, study, "login")
    assert kept(german) == [("login", "", [])]
    # The copy is in the audit log, as Wagtail logs restrictions.
    assert PageLogEntry.objects.filter(page=german, action__startswith="wagtail.view_restriction")

    set_privacy(admin_client, study, "none")
    assert kept(german) == []


def test_a_translations_own_restriction_stays(admin_client, study, german, locales):
    set_privacy(admin_client, german, "password", password="nur-für-mitglieder")
    set_privacy(admin_client, study, "login")
    assert kept(german) == [("password", "nur-für-mitglieder", []), ("login", "", [])]
    set_privacy(admin_client, study, "none")  # removes the copy, not the translation's own
    assert kept(german) == [("password", "nur-für-mitglieder", [])]

    # Nor does wagtail-localize's sync, when the translation is updated.
    source = TranslationSource.objects.get(object_id=study.translation_key, locale=locales["en"])
    source.update_target_view_restrictions(locales["de"])
    assert kept(german) == [("password", "nur-für-mitglieder", [])]


def test_a_new_translation_takes_the_original_restriction(
    study, locales, django_capture_on_commit_callbacks
):
    members = Group.objects.create(name="Members")
    restriction = PageViewRestriction.objects.create(
        page=study, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([members])
    translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    german = Page.objects.get(translation_key=study.translation_key, locale=locales["de"])
    assert kept(german) == [("groups", "", ["Members"])]


def test_restricting_in_the_admin_takes_the_page_out_of_search_in_every_language(
    admin_client, client, study, german, django_capture_on_commit_callbacks
):
    from search.indexing import rebuild

    rebuild()
    versions = IndexEntry.objects.filter(page__translation_key=study.translation_key)
    assert versions.count() == 24

    def found(language):
        response = client.get(f"/{language}/search/?q=street+lights&format=json&all=1")
        return [hit["url"] for hit in json.loads(response.content)["results"]]

    languages = [code for code, _name in settings.LANGUAGES]
    assert all(found(language) for language in languages)
    with django_capture_on_commit_callbacks(execute=True):
        set_privacy(admin_client, study, "login")
    assert versions.count() == 0
    for language in languages:
        assert found(language) == [], language

    with django_capture_on_commit_callbacks(execute=True):
        set_privacy(admin_client, study, "none")
    assert versions.count() == 24


def test_wagtail_localize_still_needs_the_replacement(study, german, locales):
    """Upstream's sync leaves a new copy without its groups and removes a translation's own
    restriction when the original has none. When this fails, upstream has changed: check
    whether translations/restriction_sync.py's replacement is still needed."""
    from wagtail_localize.models import TranslationSource as Source

    upstream = Source.sync_view_restrictions.upstream
    members = Group.objects.create(name="Members")
    restriction = PageViewRestriction(page=study, restriction_type=PageViewRestriction.GROUPS)
    restriction.save()
    restriction.groups.set([members])
    PageViewRestriction.objects.filter(page=german).delete()
    source = Source.objects.get(object_id=study.translation_key, locale=locales["en"])
    upstream(source, study, german)
    assert kept(german) == [("groups", "", [])]

    PageViewRestriction.objects.filter(page=study).delete()
    PageViewRestriction.objects.create(page=german, restriction_type=PageViewRestriction.LOGIN)
    upstream(source, study, german)
    assert kept(german) == []
