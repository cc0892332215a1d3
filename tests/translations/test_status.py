"""The translation status: what "out of date" means, the overview of every language, where
each user lands, and a number of queries that does not grow with the site."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation

from tests.factories import CaseStudyPageFactory, body
from tests.translations.conftest import edit_text, fill, make_user, shared_study, translate
from translations import status

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(study_pk):
    """The conftest's study, made once for the module: no test here needs the site without it."""
    return shared_study(study_pk)


def state_of(page, locale):
    return {e.source.pk: e for e in status.page_entries(locale)}[page.pk]


def publish(translation, capture):
    with capture(execute=True):
        translation.save_target(publish=True)


def test_a_republish_without_changes_keeps_the_translation_current(
    client, editor, study, locales, django_capture_on_commit_callbacks
):
    translation = translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    assert state_of(study, locales["de"]).state == status.CURRENT
    # The original is published again, its text unchanged: after its source was taken.
    Page.objects.get(pk=study.pk).specific.save_revision().publish()
    entry = state_of(study, locales["de"])
    assert entry.source_published_at > translation.source.last_updated_at
    assert entry.state == status.CURRENT
    assert status.changes(entry.translation) == []
    # Syncing it takes the same strings again: still current, nothing to translate.
    translation.source.update_from_db()
    entry = state_of(study, locales["de"])
    assert entry.translation.source.last_updated_at > entry.translation_published_at
    assert entry.state == status.CURRENT
    assert entry.untranslated == 0
    client.force_login(editor)
    response = client.get(reverse("translations:dashboard"), {"locale": "de"})
    assert response.context["counts"][status.OUT_OF_DATE] == 0


def test_a_changed_field_makes_the_translation_out_of_date_until_it_is_published(
    client, editor, study, locales, django_capture_on_commit_callbacks
):
    translation = translate(
        study,
        locales["de"],
        {"Oslo buys efficient street lights": "Oslo kauft effiziente Straßenlaternen"},
        capture=django_capture_on_commit_callbacks,
    )
    original = Page.objects.get(pk=study.pk).specific
    original.title = "Oslo buys LED street lights"
    original.save_revision().publish()
    entry = state_of(study, locales["de"])
    assert entry.state == status.OUT_OF_DATE
    assert status.changes(entry.translation) == [
        ("title", "Oslo buys LED street lights", "Oslo buys efficient street lights")
    ]
    # Synced: the new title waits for its translation, and says what it replaced.
    translation.source.update_from_db()
    entry = state_of(study, locales["de"])
    assert entry.state == status.OUT_OF_DATE
    assert entry.untranslated == 1
    assert status.changes(entry.translation) == [
        ("title", "Oslo buys LED street lights", "Oslo buys efficient street lights")
    ]
    client.force_login(editor)
    page = client.get(reverse("translations:changes", args=[translation.pk])).content.decode()
    assert "Oslo buys LED street lights" in page
    # Translated but not yet published: visitors still see the old title.
    fill(translation, {"Oslo buys LED street lights": "Oslo kauft LED-Laternen"}, only_missing=True)
    entry = state_of(study, locales["de"])
    assert (entry.untranslated, entry.state) == (0, status.OUT_OF_DATE)
    publish(translation, django_capture_on_commit_callbacks)
    assert state_of(study, locales["de"]).state == status.CURRENT


def test_a_changed_sentence_is_out_of_date_in_every_language_translated(
    study, locales, django_capture_on_commit_callbacks
):
    for code in ("de", "fr"):
        translate(study, locales[code], capture=django_capture_on_commit_callbacks)
    edit_text(study, "Energy use fell by half.", "Energy use fell by two thirds.")
    by_locale = status.page_entries_by_locale([locales["de"], locales["fr"]])
    for entries in by_locale.values():
        assert {e.source.pk: e for e in entries}[study.pk].state == status.OUT_OF_DATE


def test_progress_is_wagtail_localizes(study, locales, django_capture_on_commit_callbacks):
    """The bulk count of untranslated strings is what `Translation.get_progress` counts."""
    translation = translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    edit_text(study, "Energy use fell by half.", "Energy use fell by two thirds.")
    translation.source.update_from_db()
    translate(study, locales["fr"], publish=False)
    found = status.with_progress(Translation.objects.filter(source=translation.source))
    assert len(found) == 2
    for each in found:
        total, translated = each.get_progress()
        assert each.untranslated == total - translated
    assert {t.target_locale.language_code: t.untranslated for t in found} == {"de": 1, "fr": 0}


def originals():
    """How many pages and snippets in the default language the status covers."""
    default = Locale.get_default()
    pages = Page.objects.live().filter(locale=default, depth__gt=1).count()
    snippets = sum(
        model.objects.filter(locale=default, live=True).count()
        for model in status.translatable_snippet_models()
    )
    return pages + snippets


def test_the_overview_counts_every_language(
    client, editor, study, locales, django_capture_on_commit_callbacks
):
    translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    client.force_login(editor)
    total = originals()
    response = client.get(reverse("translations:dashboard"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "translations/overview.html"
    rows = {row["locale"].language_code: row["counts"] for row in response.context["rows"]}
    assert len(rows) == 23 and "en" not in rows
    assert rows["de"] == {status.MISSING: total - 1, status.OUT_OF_DATE: 0, status.CURRENT: 1}
    assert rows["fr"] == {status.MISSING: total, status.OUT_OF_DATE: 0, status.CURRENT: 0}
    html = response.content.decode()
    assert 'href="?locale=de"' in html
    assert 'href="?locale=de&amp;state=out_of_date"' in html
    assert ">Deutsch<" not in html and ">German<" in html  # in the interface language
    edit_text(study, "Energy use fell by half.", "Energy use fell by two thirds.")
    response = client.get(reverse("translations:dashboard"))
    rows = {row["locale"].language_code: row["counts"] for row in response.context["rows"]}
    assert rows["de"] == {status.MISSING: total - 1, status.OUT_OF_DATE: 1, status.CURRENT: 0}


def test_a_translator_lands_on_their_language(client, translator, editor, locales):
    client.force_login(translator)
    response = client.get(reverse("translations:dashboard"))
    assert response.context["locale"] == locales["de"]
    assert [t.name for t in response.templates][0] == "translations/dashboard.html"
    # Translating into two languages: the one of their interface, else the overview of both.
    both = make_user("tomas", "Translators (de)", "Translators (fr)")
    client.force_login(both)
    response = client.get(reverse("translations:dashboard"))
    assert [row["locale"].language_code for row in response.context["rows"]] == ["de", "fr"]
    profile = UserProfile.get_for_user(both)
    profile.preferred_language = "fr"
    profile.save()
    response = client.get(reverse("translations:dashboard"))
    assert response.context["locale"] == locales["fr"]
    # Editors see every language first.
    client.force_login(editor)
    assert "locale" not in client.get(reverse("translations:dashboard")).context


def add_pages(parent, count, capture, locale):
    """`count` case studies: one translated into `locale`, one translated then its original
    republished (compared string by string), the rest not translated."""
    pages = []
    for n in range(count):
        page = CaseStudyPageFactory(
            parent=parent,
            slug=f"extra-{parent.get_children().count()}-{n}",
            title=f"Study {n}",
            summary="A summary.",
            body=body("## Heading", f"Paragraph {n}."),
        )
        page.save_revision().publish()
        pages.append(page)
    from home.languages.trees import synchronize_locale_trees

    synchronize_locale_trees()
    translate(pages[0], locale, capture=capture)
    translate(pages[1], locale, capture=capture)
    Page.objects.get(pk=pages[1].pk).specific.save_revision().publish()
    return pages


def queries(client, params):
    cache.clear()  # the string comparisons are remembered: count them too
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("translations:dashboard"), params).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_pages(
    client, editor, study, locales, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    parent = study.get_parent()
    add_pages(parent, 3, django_capture_on_commit_callbacks, locales["de"])
    before = {
        "overview": queries(client, {}),
        "language": queries(client, {"locale": "de"}),
    }
    # Two sizes are enough to show growth: 3 pages (2 translated), then 7 (4 translated).
    add_pages(parent, 4, django_capture_on_commit_callbacks, locales["de"])
    after = {
        "overview": queries(client, {}),
        "language": queries(client, {"locale": "de"}),
    }
    assert after == before


def test_the_string_comparison_is_remembered(
    client, editor, study, locales, django_capture_on_commit_callbacks
):
    translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    Page.objects.get(pk=study.pk).specific.save_revision().publish()
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        status.page_entries(locales["de"])
    with CaptureQueriesContext(connection) as second:
        status.page_entries(locales["de"])
    assert len(second) < len(first)
