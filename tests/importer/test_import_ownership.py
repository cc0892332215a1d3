"""The import owns only what it wrote: editors' and translators' work survives a re-run, a
dry run writes nothing, the format's first schema imports, and hostile files are refused in
one line (docs/import-format.md)."""

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Revision
from wagtail_localize.models import (
    StringTranslation,
    Translation,
    TranslationSource,
)

from casestudies.models import CaseStudyPage
from home.models import Topic
from importer import importing
from importer.management.commands.import_content import Command as ImportCommand
from importer.models import ImportedVersion, ImportRecord
from tests.importer.test_importer import DATA, run
from tests.utils import class_data, edit_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.long_running]

User = get_user_model()


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group

    user = User.objects.create_user("elena", password="pw", first_name="Elena", last_name="Ek")
    user.groups.set([Group.objects.get(name="Editors")])
    return user


@pytest.fixture
def translator(db):
    return User.objects.create_user("greta", password="pw", first_name="Greta", last_name="Gr")


def study(language="en", slug="ghent-food"):
    return CaseStudyPage.objects.get(slug=slug, locale__language_code=language)


def publish_as(user, page, **values):
    for name, value in values.items():
        setattr(page, name, value)
    page.save_revision(user=user).publish(user=user)


def rows():
    """How many of everything an import writes."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Revision,
            PageLogEntry,
            Topic,
            TranslationSource,
            Translation,
            StringTranslation,
            ImportRecord,
            ImportedVersion,
        )
    }


def dry_run(data, tmp_path, capsys):
    """`import_content --dry-run` of `data` from a file: what it reports, once it is seen to
    have written nothing."""
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = rows()
    capsys.readouterr()
    call_command("import_content", str(path), "--dry-run")
    assert rows() == before
    return capsys.readouterr().out


def conflicts(result):
    return [str(conflict) for conflict in result.conflicts]


@class_data
def first_import():
    """The sample content imported once for the class, as a first `make run` would."""
    run(DATA)


@pytest.mark.usefixtures("first_import")
class TestAfterAFirstImport:
    """What a re-run keeps of the work done after the first import."""

    def test_an_edit_published_in_the_cms_is_kept_and_reported(self, editor):
        publish_as(editor, study(), title="Ghent, as the secretariat has it")
        result = run(DATA)
        assert study().title == "Ghent, as the secretariat has it"
        assert conflicts(result) == [
            'case_studies "ghent-food" (en): a published change by Elena Ek'
        ]
        # Its translation is one of what the CMS now has: left as it is with it.
        assert dict(result.counts["case_studies"]["de"]) == {"skipped": 1}

        # A changed file still updates what nobody touched.
        changed = copy.deepcopy(DATA)
        changed["case_studies"][1]["summary"] = "LED street lighting, city-wide."
        result = run(changed)
        assert study(slug="oslo-light").summary == "LED street lighting, city-wide."
        assert study().title == "Ghent, as the secretariat has it"
        assert len(result.conflicts) == 1

    def test_a_page_unpublished_in_the_cms_stays_unpublished(self, editor):
        study().specific.unpublish(user=editor)
        result = run(DATA)
        assert not study().live
        assert 'case_studies "ghent-food" (en): unpublished in the CMS' in conflicts(result)

    def test_a_page_deleted_in_the_cms_is_not_made_again_unless_forced(self):
        for version in Page.objects.filter(translation_key=study().translation_key):
            version.delete()
        result = run(DATA)
        assert not CaseStudyPage.objects.filter(slug="ghent-food").exists()
        assert 'case_studies "ghent-food" (en): deleted in the CMS' in conflicts(result)
        importing.import_content(copy.deepcopy(DATA), force={"ghent-food"})
        assert study().title == DATA["case_studies"][0]["title"]

    def test_a_fallback_page_an_editor_made_a_page_of_its_own_is_kept(self, editor):
        german = study("de", slug="oslo-light")
        assert german.alias_of_id is not None
        german.alias_of_id = None
        german.save(update_fields=["alias_of_id"], clean=False)  # Wagtail's "convert alias"
        publish_as(editor, german, title="Oslo, von Hand")
        changed = copy.deepcopy(DATA)
        changed["case_studies"][1]["translations"] = {"de": {"title": "Oslo aus der Datei"}}
        result = run(changed)
        assert study("de", slug="oslo-light").title == "Oslo, von Hand"
        assert 'case_studies "oslo-light" (de): a published change by Elena Ek' in conflicts(result)

    def test_a_dry_run_reports_updates_and_conflicts_and_writes_nothing(
        self, tmp_path, capsys, editor
    ):
        publish_as(editor, study(slug="oslo-light"), title="Oslo, by hand")
        changed = copy.deepcopy(DATA)
        changed["case_studies"][0]["year"] = 2022
        changed["case_studies"][1]["year"] = 2018
        out = dry_run(changed, tmp_path, capsys)
        assert study().year == 2021
        assert "case_studies (en): 1 updated, 1 conflict" in out
        assert 'case_studies "oslo-light" (en): a published change by Elena Ek' in out

    def test_a_draft_is_neither_published_nor_discarded(self, editor):
        oslo = study(slug="oslo-light")
        oslo.title = "Oslo, a draft"
        oslo.save_revision(user=editor)
        changed = copy.deepcopy(DATA)
        changed["case_studies"][1]["summary"] = "LED street lighting, city-wide."
        result = run(changed)

        oslo = study(slug="oslo-light")
        assert oslo.title == "Oslo buys efficient street lights"  # what is published
        assert oslo.summary == "LED street lighting."  # the file's change waits too
        assert oslo.has_unpublished_changes
        assert oslo.get_latest_revision_as_object().title == "Oslo, a draft"
        assert conflicts(result) == [
            'case_studies "oslo-light" (en): an unpublished draft by Elena Ek'
        ]
        # The same file as before asks for nothing: the draft is not mentioned.
        assert run(DATA).conflicts == []

    def test_a_translators_work_on_a_translation_is_kept(self, translator):
        german = study("de")
        german.title = "Gent: Entwurf"
        german.save_revision(user=translator)
        changed = copy.deepcopy(DATA)
        changed["case_studies"][0]["translations"]["de"]["title"] = "Gent kocht pflanzlich"
        result = run(changed)
        german = study("de")
        assert german.title == "Gent serviert pflanzliche Schulessen"
        assert german.get_latest_revision_as_object().title == "Gent: Entwurf"
        assert conflicts(result) == [
            'case_studies "ghent-food" (de): an unpublished draft by Greta Gr'
        ]

    def test_related_case_studies_follow_the_file_in_every_language(self):
        assert [p.slug for p in study("de").related_pages()] == ["oslo-light"]
        changed = copy.deepcopy(DATA)
        changed["case_studies"][0]["related"] = []
        result = run(changed)
        assert result.conflicts == []
        assert study().related_pages() == [] and study("de").related_pages() == []
        assert study("fr").related_pages() == []  # a fallback page follows its original

    def test_a_translators_draft_keeps_its_related_case_studies(self, translator):
        german = study("de")
        german.title = "Gent: Entwurf"
        german.save_revision(user=translator)
        changed = copy.deepcopy(DATA)
        changed["case_studies"][0]["related"] = []
        result = run(changed)
        assert study().related_pages() == []
        german = study("de")
        assert [p.slug for p in german.related_pages()] == ["oslo-light"]
        assert german.get_latest_revision_as_object().title == "Gent: Entwurf"
        assert conflicts(result) == [
            'case_studies "ghent-food" (de): an unpublished draft by Greta Gr'
        ]

    def test_strings_a_translator_wrote_are_kept(self, translator):
        # The translation editor saves each string as the translator writes it.
        written = StringTranslation.objects.filter(
            context__object_id=study().translation_key,
            locale__language_code="de",
            data="Stadt Gent",
        ).get()
        written.data = "Die Stadt Gent"
        written.tool_name = ""
        written.last_translated_by = translator
        written.save()
        changed = copy.deepcopy(DATA)
        changed["case_studies"][0]["translations"]["de"]["title"] = "Gent kocht pflanzlich"
        result = run(changed)
        written.refresh_from_db()
        assert written.data == "Die Stadt Gent"
        assert study("de").title == "Gent serviert pflanzliche Schulessen"
        assert conflicts(result) == ['case_studies "ghent-food" (de): translated text by Greta Gr']

    def test_force_overwrites_and_the_audit_log_says_so(self, editor, capsys, tmp_path):
        publish_as(editor, study(), title="Ghent, as the secretariat has it")
        edited = study().live_revision_id
        result = importing.import_content(copy.deepcopy(DATA), force={"ghent-food"})
        assert result.conflicts == []
        assert study().title == "Ghent serves plant-based school meals"
        entry = PageLogEntry.objects.get(page=study(), action=importing.OVERWRITE_ACTION)
        assert entry.data == {
            "key": "case_studies:ghent-food",
            "overwritten": "a published change by Elena Ek",
        }
        assert Revision.objects.filter(pk=edited).exists()  # the editor's version is kept

        publish_as(editor, study("de"), title="Gent, von Hand")
        publish_as(editor, study(slug="oslo-light"), title="Oslo, by hand")
        path = tmp_path / "content.json"
        path.write_text(json.dumps(DATA), encoding="utf-8")
        call_command("import_content", str(path), "--force-all")
        assert "left as they are" not in capsys.readouterr().out
        assert study("de").title == "Gent serviert pflanzliche Schulessen"
        assert study(slug="oslo-light").title == "Oslo buys efficient street lights"
        assert PageLogEntry.objects.filter(action=importing.OVERWRITE_ACTION).count() == 3


def test_a_dry_run_writes_nothing_and_says_what_would_happen(tmp_path, capsys):
    out = dry_run(DATA, tmp_path, capsys)
    assert "case_studies (en): 2 created" in out and "case_studies (de): 1 created" in out
    assert "Dry run of" in out and "nothing was written" in out


# The schema the format began with (docs/import-format.md): no authority type, a chapter's
# number, events with a location and online flag.
FIRST_SCHEMA = {
    "topics": [
        {"key": "food", "name": "Food and catering", "translations": {"de": {"name": "Essen"}}}
    ],
    "case_studies": [
        {
            "key": "vienna-food",
            "locale": "en",
            "title": "Vienna buys organic food",
            "summary": "Organic food for hospitals.",
            "body_html": "<p>Half of the food is organic.</p>",
            "organisation": "City of Vienna",
            "country": "AT",
            "year": 2021,
            "topics": ["food"],
            "tags": ["organic"],
            "co2e_tonnes": 120.5,
            "cost_saving_eur": 50000,
            "energy_mwh": None,
            "translations": {
                "de": {
                    "title": "Wien kauft Bio-Lebensmittel",
                    "summary": "Bio-Essen für Spitäler.",
                    "body_html": "<p>Die Hälfte ist bio.</p>",
                }
            },
        }
    ],
    "manual_chapters": [
        {
            "key": "why",
            "number": 1,
            "title": "Why",
            "summary": "Why buy sustainably.",
            "body_html": "<p>Because.</p>",
            "translations": {},
        }
    ],
    "news": [
        {
            "key": "n1",
            "date": "2025-03-01",
            "title": "A new member",
            "summary": "Vienna joins.",
            "body_html": "<p>Welcome.</p>",
            "tags": [],
            "translations": {},
        }
    ],
    "events": [
        {
            "key": "e1",
            "start": "2025-11-12T09:00:00+01:00",
            "end": "2025-11-12T17:00:00+01:00",
            "title": "Seminar",
            "summary": "The annual seminar.",
            "location": "Brussels",
            "online": True,
            "translations": {},
        }
    ],
}


def test_a_file_in_the_first_schema_imports(tmp_path, capsys):
    path = tmp_path / "first.json"
    path.write_text(json.dumps(FIRST_SCHEMA), encoding="utf-8")
    call_command("import_content", str(path))
    out = capsys.readouterr().out
    vienna = study(slug="vienna-food")
    assert vienna.authority_type == "other"
    assert study("de", "vienna-food").title == "Wien kauft Bio-Lebensmittel"
    assert 'case_studies: 1 record(s) without "authority_type" set to "other": vienna-food' in out


def cli(monkeypatch, *args):
    """The command as a shell runs it (Django's `run_from_argv`): its exit status. Its last
    step, closing the database connections, is left out: it would end the test's
    transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    command = ImportCommand()
    try:
        command.run_from_argv(["manage.py", "import_content", *map(str, args)])
    except SystemExit as exit:
        return exit.code
    return 0


HOSTILE = {
    "invalid JSON": (b'{"topics": [', "is not valid JSON"),
    "empty": (b"", "is not valid JSON"),
    "a list at the top": (b"[1, 2]", "must hold one JSON object"),
    "nesting deeper than Python": (b"[" * 100_000 + b"]" * 100_000, "nests lists and objects"),
    "nesting deeper than the format": (
        b'{"topics": [{"key": "a", "name": ' + b'{"x": ' * 12 + b"1" + b"}" * 12 + b"}]}",
        "nests lists and objects deeper than the format allows (at most 8), at topics[0].name",
    ),
    "a number out of range": (
        json.dumps(
            {**DATA, "case_studies": [{**DATA["case_studies"][1], "co2e_tonnes": 1e308}]}
        ).encode(),
        'field "co2e_tonnes": is 1e+308: too large a number',
    ),
    "a number past any float": (
        json.dumps(DATA).replace("120.5", "1e400").encode(),
        'field "co2e_tonnes": is inf: too large a number',
    ),
    "NaN": (
        json.dumps(DATA).replace("120.5", "NaN").encode(),
        "NaN is not a number this format accepts",
    ),
    "invalid UTF-8": (b'{"topics": [{"key": "\xff"}]}', "is not UTF-8 text"),
    "an unknown section": (b'{"sparkles": []}', "unknown section(s): sparkles"),
    "an oversized file": (b'{"comment": "' + b"x" * 200 + b'"}', "bytes; at most 100 are allowed"),
    "a section given twice": (
        b'{"topics": [{"key": "a", "name": "A"}], "topics": []}',
        '"topics" is given twice in one object',
    ),
}


def test_a_pipe_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    """A pipe's size is 0 whatever it holds: what is read is counted instead."""
    import os
    import threading

    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100)
    path = tmp_path / "pipe.json"
    os.mkfifo(path)

    def write():
        try:
            with path.open("wb") as pipe:
                pipe.write(b'{"comment": "' + b"x" * 500 + b'"}')
        except BrokenPipeError:
            pass  # the reader stopped at the limit

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with pytest.raises(importing.ImportFileError, match="more than 100 bytes"):
        importing.read_file(path)
    writer.join(timeout=5)


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_file_is_refused_in_one_line(kind, tmp_path, capsys, monkeypatch):
    raw, message = HOSTILE[kind]
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100 if kind == "an oversized file" else 10**8)
    path = tmp_path / "hostile.json"
    path.write_bytes(raw)
    before = rows()
    status = cli(monkeypatch, path)
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    assert err.startswith(f"CommandError: {path}: "), err
    assert message in err and err.rstrip().endswith("Nothing was imported."), err
    assert len(err.strip().splitlines()) == 1
    assert rows() == before


def test_make_run_twice_keeps_an_edit_made_in_the_admin(admin_client, tmp_path, capsys):
    """`make run` loads the demo content with `load_demo`: only into an empty site."""
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    call_command("load_demo", str(path))
    assert "case_studies (en): 2 created" in capsys.readouterr().out

    page = study()
    data = edit_form_data(admin_client, page)
    data["title"] = "Ghent, edited in the admin"
    data["action-publish"] = "action-publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert study().title == "Ghent, edited in the admin", response["Location"]

    call_command("load_demo", str(path))
    out = capsys.readouterr().out
    assert out.strip() == "Demo content already loaded; `make demo-reset` starts afresh."
    assert study().title == "Ghent, edited in the admin"
    # Imported again by hand, the file reports the admin's edit and keeps it.
    result = run(DATA)
    assert conflicts(result) == ['case_studies "ghent-food" (en): a published change by admin']
    assert study().title == "Ghent, edited in the admin"
