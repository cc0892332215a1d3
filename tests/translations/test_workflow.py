"""The translation process end to end: drafts stay drafts, review through a Wagtail workflow,
the status dashboard, keeping translators' work through syncs, PO/XLIFF exchange."""

import polib
import pytest
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import StringTranslation, Translation

from home.languages.formats import format_date
from tests.translations.conftest import edit_text, fill, shared_study, translate
from translations import status
from translations.exchange import ExchangeError, import_units, read_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(study_pk):
    """The conftest's study, made once for the module: no test here needs the site without it."""
    return shared_study(study_pk)


def public_text(client, path):
    return client.get(path).content.decode()


def german(study):
    return Page.objects.get(
        translation_key=study.translation_key, locale__language_code="de"
    ).specific


def test_a_translators_draft_never_reaches_visitors(
    client, study, locales, django_capture_on_commit_callbacks
):
    translation = translate(
        study,
        locales["de"],
        {"Oslo buys efficient street lights": "Oslo kauft effiziente Straßenlaternen"},
        capture=django_capture_on_commit_callbacks,
    )
    assert "Oslo kauft effiziente Straßenlaternen" in public_text(client, "/de/case-studies/oslo/")
    # The translator changes the title and saves a draft.
    fill(translation, {"Oslo buys efficient street lights": "ENTWURF: noch nicht geprüft"})
    translation.save_target(publish=False)
    page = german(study)
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "ENTWURF: noch nicht geprüft"
    body_html = public_text(client, "/de/case-studies/oslo/")
    assert "ENTWURF" not in body_html
    assert "Oslo kauft effiziente Straßenlaternen" in body_html


def test_wagtail_localize_still_writes_drafts_into_the_live_row(
    study, locales, django_capture_on_commit_callbacks
):
    """Upstream's behaviour that translations/drafts.py works around (#655). When this
    fails, wagtail-localize keeps a draft off the live row itself: remove the workaround."""
    from wagtail_localize.models import TranslationSource

    translation = translate(
        study,
        locales["de"],
        {"Oslo buys efficient street lights": "Oslo kauft effiziente Straßenlaternen"},
        capture=django_capture_on_commit_callbacks,
    )
    fill(translation, {"Oslo buys efficient street lights": "ENTWURF: noch nicht geprüft"})
    upstream = TranslationSource.create_or_update_translation.upstream
    upstream(translation.source, locales["de"], publish=False)
    assert german(study).title == "ENTWURF: noch nicht geprüft"


def test_a_new_translation_keeps_showing_the_original_until_approved(
    client, study, locales, translator
):
    client.force_login(translator)
    url = reverse("wagtail_localize:submit_page_translation", args=[study.pk])
    assert client.post(url, {"locales": [locales["de"].pk]}).status_code == 302
    translation = Translation.objects.get(
        source__object_id=study.translation_key, target_locale=locales["de"]
    )
    fill(translation, {"Oslo buys efficient street lights": "Oslo kauft Laternen"})
    translation.save_target(publish=False)
    client.logout()
    body_html = public_text(client, "/de/case-studies/oslo/")
    assert "Oslo buys efficient street lights" in body_html
    assert "Oslo kauft Laternen" not in body_html
    # …and says so, with the original's language on the text.
    assert 'class="notice notice--fallback"' in body_html
    assert '<header class="case-study__header" lang="en">' in body_html


def test_translator_submits_and_editor_approves_through_the_workflow(
    client, study, locales, translator, editor
):
    translation = translate(
        study,
        locales["de"],
        {"Oslo buys efficient street lights": "Oslo kauft effiziente Straßenlaternen"},
        publish=False,
    )
    client.force_login(translator)
    response = client.post(reverse("translations:submit_for_review", args=[translation.pk]))
    assert response.status_code == 302
    page = german(study)
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    assert state.workflow.name == "Translation review"
    assert "Straßenlaternen" not in public_text(client, "/de/case-studies/oslo/")
    # The editor approves the task from the admin.
    client.force_login(editor)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    response = client.post(approve, {"comment": "Gut."})
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == "approved"
    client.logout()
    assert "Oslo kauft effiziente Straßenlaternen" in public_text(client, "/de/case-studies/oslo/")


def test_a_republish_without_changes_shows_no_notice_on_translations(
    client, study, locales, django_capture_on_commit_callbacks
):
    """The public notice follows the dashboard: the same text published again leaves the
    German translation current, and it says nothing of an update."""
    translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=study.pk).specific.save_revision().publish()
    entries = {e.source.pk: e for e in status.page_entries(locales["de"])}
    assert entries[study.pk].state == status.CURRENT
    assert "notice--outdated" not in public_text(client, "/de/case-studies/oslo/")
    edit_text(study, "Energy use fell by half.", "Energy use fell by two thirds.")
    assert "notice--outdated" in public_text(client, "/de/case-studies/oslo/")


def test_dashboard_states_missing_out_of_date_current(
    client, editor, study, locales, django_capture_on_commit_callbacks
):
    translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    entries = {e.source.pk: e for e in status.page_entries(locales["de"])}
    assert entries[study.pk].state == status.CURRENT
    assert "notice--outdated" not in public_text(client, "/de/case-studies/oslo/")
    assert {e.source.pk: e for e in status.page_entries(locales["fr"])}[study.pk].state == (
        status.MISSING
    )
    # The original changes: German is out of date, and the dashboard shows what changed.
    edit_text(study, "Energy use fell by half.", "Energy use fell by two thirds.")
    entry = {e.source.pk: e for e in status.page_entries(locales["de"])}[study.pk]
    assert entry.state == status.OUT_OF_DATE
    changed = status.changes(entry.translation)
    assert [(now, before) for _place, now, before in changed] == [
        ("Energy use fell by two thirds.", "Energy use fell by half.")
    ]
    client.force_login(editor)
    response = client.get(reverse("translations:dashboard") + "?locale=de&state=out_of_date")
    assert response.status_code == 200
    assert response.context["counts"]["out_of_date"] >= 1
    assert "Oslo buys efficient street lights" in response.content.decode()
    assert (
        client.get(reverse("translations:changes", args=[entry.translation.pk])).status_code == 200
    )
    # The German page says its original was updated.
    page = public_text(client, "/de/case-studies/oslo/")
    assert 'class="notice notice--outdated"' in page
    # It names the original's language and the day it was published, in German.
    published = Page.objects.get(pk=study.pk).last_published_at
    with override("de"):
        day = format_date(published)  # as CLDR writes a date in German
    notice = page.split('notice--outdated"', 1)[1].split("</div>", 1)[0]
    assert "Englisch" in notice
    assert day in notice


def test_sync_keeps_the_translations_that_still_apply(
    client, study, locales, editor, django_capture_on_commit_callbacks
):
    translation = translate(
        study,
        locales["de"],
        {
            "The city replaced its street lights.": "Die Stadt ersetzte ihre Straßenlaternen.",
            "Energy use fell by half.": "Der Energieverbrauch halbierte sich.",
        },
        capture=django_capture_on_commit_callbacks,
    )
    edit_text(study, "Energy use fell by half.", "Energy use fell by two thirds.")
    # An editor syncs the original, as wagtail-localize's "Sync translated pages" does.
    translation.source.update_from_db()
    kept = StringTranslation.objects.filter(
        locale=locales["de"], data="Die Stadt ersetzte ihre Straßenlaternen."
    )
    assert kept.exists()
    total, translated = translation.get_progress()
    assert total - translated == 1  # only the changed sentence awaits translation
    # Visitors still see the whole published translation, not a mixture.
    body_html = public_text(client, "/de/case-studies/oslo/")
    assert "Der Energieverbrauch halbierte sich." in body_html
    assert "two thirds" not in body_html
    # Translating the new sentence and publishing brings it up to date.
    fill(
        translation,
        {"Energy use fell by two thirds.": "Der Verbrauch sank um zwei Drittel."},
        only_missing=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    body_html = public_text(client, "/de/case-studies/oslo/")
    assert "Die Stadt ersetzte ihre Straßenlaternen." in body_html
    assert "Der Verbrauch sank um zwei Drittel." in body_html
    entry = {e.source.pk: e for e in status.page_entries(locales["de"])}[study.pk]
    assert entry.state == status.CURRENT


@pytest.mark.parametrize("kind", ["po", "xliff"])
def test_exchange_round_trip(
    client, translator, editor, study, locales, kind, django_capture_on_commit_callbacks
):
    client.force_login(translator)
    response = client.get(reverse("translations:export"), {"locale": "de", "format": kind})
    assert response.status_code == 200
    name = "pending.po" if kind == "po" else "pending.xlf"
    assert name in response["Content-Disposition"]
    language, units = read_file(name, response.content)
    assert language == "de"
    ours = [
        u
        for u in units
        if u.source in ("Oslo buys efficient street lights", "Energy use fell by half.")
    ]
    assert len(ours) == 2
    if kind == "po":
        po = polib.pofile(response.content.decode())
        for entry in po:
            if entry.msgid == "Oslo buys efficient street lights":
                entry.msgstr = "Oslo kauft effiziente Straßenlaternen"
            elif entry.msgid == "Energy use fell by half.":
                entry.msgstr = "Der Energieverbrauch halbierte sich."
        upload = str(po).encode()
    else:
        text = response.content.decode()
        for source, target in [
            ("Oslo buys efficient street lights", "Oslo kauft effiziente Straßenlaternen"),
            ("Energy use fell by half.", "Der Energieverbrauch halbierte sich."),
        ]:
            text = text.replace(
                f"<source>{source}</source>", f"<source>{source}</source><target>{target}</target>"
            )
        upload = text.encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("translations:import"), {"locale": "de", "file": SimpleUploadedFile(name, upload)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # Imported as a draft: visitors do not see it yet…
    assert "Straßenlaternen" not in public_text(client, "/de/case-studies/oslo/")
    # …until an editor publishes it.
    translation = Translation.objects.get(
        source__object_id=study.translation_key, target_locale=locales["de"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    body_html = public_text(client, "/de/case-studies/oslo/")
    assert "Oslo kauft effiziente Straßenlaternen" in body_html
    assert "Der Energieverbrauch halbierte sich." in body_html


def _units_for(study, locales, language="de"):
    from translations.exchange import pending_units

    return [u for u in pending_units(locales[language]) if "Oslo" in u.note]


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (
            lambda units: units.__setitem__(
                0, units[0].__class__("00000000-0000-0000-0000-000000000000:title:x", "a", "b", "")
            ),
            "unknown segment id",
        ),
        (
            lambda units: units.__setitem__(0, units[0].__class__("garbage", "a", "b", "")),
            "is not a segment id of this site",
        ),
        (
            lambda units: units.__setitem__(
                0, units[0].__class__(units[0].key, units[0].source, "<script>x</script>", "")
            ),
            "Unit 1",
        ),
    ],
)
def test_import_refuses_a_bad_file_and_writes_nothing(study, locales, mangle, message):
    units = _units_for(study, locales)
    for unit in units:
        unit.target = "übersetzt"
    mangle(units)
    before = StringTranslation.objects.count()
    with pytest.raises(ExchangeError, match=message):
        import_units("de", units, locales["de"])
    assert StringTranslation.objects.count() == before


def test_import_refuses_the_wrong_language_and_malformed_files(study, locales):
    units = _units_for(study, locales)
    with pytest.raises(ExchangeError, match='"fr", not in de'):
        import_units("fr", units, locales["de"])
    with pytest.raises(ExchangeError, match="not well-formed XML"):
        read_file("x.xlf", b"<?xml version='1.0'?><xliff><file")
    with pytest.raises(ExchangeError, match="syntax error on line 2"):
        read_file("x.po", b'msgid "unterminated\nmsgstr ')
    # Units of another language's file cannot be imported into German.
    french = _units_for(study, locales, "fr")
    with pytest.raises(ExchangeError, match="is a segment of the fr translation"):
        import_units("de", french, locales["de"])


def test_upload_of_a_bad_file_reports_the_error(client, translator, study):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(translator)
    before = StringTranslation.objects.count()
    response = client.post(
        reverse("translations:import"),
        {"locale": "de", "file": SimpleUploadedFile("x.po", b"\x00\xff")},
    )
    assert response.status_code == 400
    assert StringTranslation.objects.count() == before


def test_import_reports_counts(study, locales):
    units = _units_for(study, locales)
    units[0].target = "Eins"
    report = import_units("de", units, locales["de"])
    assert (report.created, report.updated, report.untranslated) == (1, 0, len(units) - 1)
    report = import_units("de", units, locales["de"])
    assert (report.created, report.unchanged) == (0, 1)


def test_machine_translation_is_off_unless_configured(settings):
    from wagtail_localize.machine_translators import get_machine_translator

    del settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR
    assert get_machine_translator() is None


def test_machine_translation_fills_own_language(client, translator, study, locales):
    translation = translate(study, locales["de"], publish=False)
    StringTranslation.objects.filter(locale=locales["de"]).delete()
    client.force_login(translator)
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": "/admin/"}
    )
    assert response.status_code == 302
    total, translated = translation.get_progress()
    assert translated == total > 0
    assert StringTranslation.objects.filter(
        locale=locales["de"], translation_type="machine"
    ).exists()


def test_dashboard_filters_by_type_section_and_state(
    client, editor, study, locales, django_capture_on_commit_callbacks
):
    translate(study, locales["de"], capture=django_capture_on_commit_callbacks)
    client.force_login(editor)
    url = reverse("translations:dashboard")
    response = client.get(url, {"locale": "de", "type": "casestudies.casestudypage"})
    kinds = {row["entry"].type_label for row in response.context["rows"]}
    assert kinds == {"case study"}
    section = study.get_parent()
    response = client.get(url, {"locale": "de", "section": section.pk})
    titles = {row["entry"].title for row in response.context["rows"]}
    assert titles == {section.title, study.title}
    response = client.get(url, {"locale": "de", "state": "current"})
    assert [row["entry"].title for row in response.context["rows"]] == [study.title]
    response = client.get(url, {"locale": "de", "type": "home.topic"})
    assert {row["entry"].kind for row in response.context["rows"]} <= {"snippet"}
    # Each entry links into the translation editor.
    response = client.get(url, {"locale": "de", "state": "current"})
    german = Page.objects.get(translation_key=study.translation_key, locale=locales["de"])
    assert response.context["rows"][0]["edit_url"] == reverse(
        "wagtailadmin_pages:edit", args=[german.pk]
    )


def test_demo_accounts_include_the_german_translator(settings, tmp_path, capsys):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    out = capsys.readouterr().out
    assert "translator-de" in out and "admin" in out
    user = get_user_model().objects.get(username="translator-de")
    assert [g.name for g in user.groups.all()] == ["Translators (de)"]
    password = out.split("translator-de")[1].split("password:")[1].split()[0]
    assert user.check_password(password)


def test_demo_accounts_keep_passwords_in_the_file_given(settings, tmp_path):
    """A site of its own (one per browser-test worker) keeps its passwords apart: the file
    given is written and reused, and the checkout's var/demo-accounts.json is not touched."""
    import json

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.DEBUG = True
    settings.VAR_DIR = tmp_path / "var"
    own = tmp_path / "worker" / "accounts.json"
    own.parent.mkdir()
    call_command("demo_accounts", passwords_file=own, stdout=open("/dev/null", "w"))  # noqa: SIM115
    passwords = json.loads(own.read_text())
    assert not (settings.VAR_DIR / "demo-accounts.json").exists()
    assert get_user_model().objects.get(username="admin").check_password(passwords["admin"])
    call_command("demo_accounts", passwords_file=own, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert json.loads(own.read_text()) == passwords


def test_snippet_translations_are_reviewed_too(
    client, translator, editor, topic, locales, django_capture_on_commit_callbacks
):
    from home.models import Topic

    translation = translate(
        topic, locales["de"], {"Energy": "Energie"}, capture=django_capture_on_commit_callbacks
    )
    german = Topic.objects.get(translation_key=topic.translation_key, locale=locales["de"])
    assert german.name == "Energie" and german.live
    # The translator changes the name: a draft, reviewed before it shows.
    fill(translation, {"Energy": "Energiewirtschaft"})
    client.force_login(translator)
    response = client.post(reverse("translations:submit_for_review", args=[translation.pk]))
    assert response.status_code == 302
    german.refresh_from_db()
    assert german.name == "Energie"
    assert german.workflow_in_progress
    assert german.get_latest_revision_as_object().name == "Energiewirtschaft"
    state = german.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, editor, "approve")
    german.refresh_from_db()
    assert german.name == "Energiewirtschaft"
