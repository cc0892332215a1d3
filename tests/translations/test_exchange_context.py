"""Translators' context in exchanged files: every unit says on which page or snippet (title and
address), in which field and which block (its label and position) its text is, in the bulk
PO/XLIFF files and in wagtail-localize's own PO download; files still import as before, old
ones included. And the import's message says its counts in each language's plural forms."""

import polib
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation as i18n
from lxml import etree
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.operations import translate_object

from home.languages.trees import synchronize_locale_trees
from tests.factories import NavigationMenuFactory, StandardPageFactory, TopicFactory
from tests.translations.conftest import make_user
from translations.exchange import (
    ImportReport,
    import_units,
    pending_units,
    read_file,
    to_po,
    to_xliff,
)
from translations.views import exchange as exchange_views

pytestmark = pytest.mark.django_db

XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"

BODY = [
    ("heading", {"text": "How it went", "level": "h2"}),
    ("paragraph", RichText("<p>The city asked the market first.</p><p>Then it tendered.</p>")),
    ("quote", {"quote": "We learnt a lot.", "attribution": "Head of procurement"}),
    (
        "table",
        {
            "data": [["Year", "Tonnes"], ["2021", "200"]],
            "table_caption": "Savings",
            "first_row_is_table_header": True,
        },
    ),
]


@pytest.fixture
def rich_page(home):
    page = StandardPageFactory(parent=home, title="Lighting the streets", slug="lights", body=BODY)
    page.save_revision().publish()
    return page


def po_entries(units, locales):
    return {
        entry.msgid: entry for entry in polib.pofile(to_po(units, locales["de"], "en").decode())
    }


def test_po_entries_say_page_address_field_block_and_position(rich_page, locales):
    units = pending_units(locales["de"], page_ids=[rich_page.pk])
    entries = po_entries(units, locales)
    url = rich_page.get_full_url()
    assert url.endswith("/en/lights/")
    attribution = entries["Head of procurement"]
    assert attribution.comment.splitlines() == [
        "Standard page: Lighting the streets",
        url,
        "Body › Quote (block 3) › Attribution",
    ]
    assert entries["How it went"].comment.endswith("Body › Heading (block 1) › Heading")
    assert entries["Lighting the streets"].comment.endswith("\nTitle")
    # The paragraphs of one rich text block, each with its place in it.
    assert entries["The city asked the market first."].comment.endswith(
        "Body › Text (block 2), part 1 of 2"
    )
    assert entries["Then it tendered."].comment.endswith("Body › Text (block 2), part 2 of 2")
    # The cells and caption of a table.
    assert entries["Tonnes"].comment.endswith("Body › Table (block 4) › Row 1, column 2")
    assert entries["Savings"].comment.endswith("Body › Table (block 4) › Caption")
    # The unit's id is still msgctxt, as in files made before.
    assert attribution.msgctxt == next(u.key for u in units if u.source == "Head of procurement")
    assert attribution.msgctxt.count(":") == 2 and ".attribution:" in attribution.msgctxt


def test_labels_are_in_the_translators_language(rich_page, locales):
    with i18n.override("de"):
        entries = po_entries(pending_units(locales["de"], page_ids=[rich_page.pk]), locales)
    assert entries["Head of procurement"].comment.endswith(
        "Inhalt › Zitat (Block 3) › Quellenangabe"
    )
    assert entries["Tonnes"].comment.endswith("(Block 4) › Zeile 1, Spalte 2")
    assert entries["Then it tendered."].comment.endswith("Teil 2 von 2")


def test_snippet_units_name_the_snippet_and_its_blocks(locales):
    menu = NavigationMenuFactory(
        items=[
            ("link", {"label": "Case studies", "url": "/en/case-studies/"}),
            ("link", {"label": "The Manual", "url": "/en/manual/"}),
        ]
    )
    menu.save_revision().publish()
    units = [u for u in pending_units(locales["de"]) if u.source == "The Manual"]
    assert len(units) == 1
    lines = units[0].note.splitlines()
    assert lines[0] == "Navigation menu: Main navigation (en)"
    assert lines[-1] == "Links › Link (block 2) › Label"
    # No German menu yet: the file names it by a name of the site's own.
    assert units[0].document == f"procura-plus/de/home.navigationmenu/{menu.pk}"


def test_xliff_has_a_file_per_page_named_by_its_address(rich_page, home, locales):
    other = StandardPageFactory(parent=home, title="Second page", slug="second")
    other.save_revision().publish()
    units = pending_units(locales["de"], page_ids=[rich_page.pk, other.pk])
    root = etree.fromstring(to_xliff(units, locales["de"], "en"))
    files = {node.get("original"): node for node in root.iter(f"{XLIFF}file")}
    assert set(files) == {rich_page.get_full_url(), other.get_full_url()}
    node = files[rich_page.get_full_url()]
    assert node.get("target-language") == "de" and node.get("source-language") == "en"
    assert node.findtext(f"{XLIFF}header/{XLIFF}note") == "Standard page: Lighting the streets"
    unit = next(
        u
        for u in node.iter(f"{XLIFF}trans-unit")
        if u.findtext(f"{XLIFF}source") == "Head of procurement"
    )
    notes = [note.text for note in unit.findall(f"{XLIFF}note")]
    assert notes == [
        "Standard page: Lighting the streets",
        rich_page.get_full_url(),
        "Body › Quote (block 3) › Attribution",
    ]
    # The XML is valid in the order XLIFF 1.2 asks: the header before the body.
    assert [etree.QName(child).localname for child in node] == ["header", "body"]


def test_an_empty_xliff_file_is_named_by_the_site_and_language(locales):
    root = etree.fromstring(to_xliff([], locales["de"], "en"))
    assert [node.get("original") for node in root.iter(f"{XLIFF}file")] == [
        "procura-plus/de/pending"
    ]


@pytest.mark.parametrize("kind", ["po", "xliff"])
def test_files_with_context_round_trip_through_the_upload(
    client, translator, rich_page, home, locales, kind
):
    other = StandardPageFactory(parent=home, title="Second page", slug="second")
    other.save_revision().publish()
    client.force_login(translator)
    pages = f"{rich_page.pk},{other.pk}"
    response = client.get(
        reverse("translations:export"), {"locale": "de", "format": kind, "pages": pages}
    )
    name = "de.po" if kind == "po" else "de.xlf"
    if kind == "po":
        po = polib.pofile(response.content.decode())
        for entry in po:
            entry.msgstr = f"DE {entry.msgid}"
        data = str(po).encode()
    else:
        root = etree.fromstring(response.content)
        assert len(root.findall(f"{XLIFF}file")) == 2
        for unit in root.iter(f"{XLIFF}trans-unit"):
            target = etree.SubElement(unit, f"{XLIFF}target")
            target.text = "DE " + unit.findtext(f"{XLIFF}source")
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    count = int(response["X-Units"])
    response = client.post(
        reverse("translations:import"), {"locale": "de", "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert StringTranslation.objects.filter(data__startswith="DE ").count() == count
    assert StringTranslation.objects.filter(data="DE Head of procurement").exists()


def test_files_downloaded_before_still_import(rich_page, locales):
    """A file of the former writer (one <file original="NoName">, one note per unit) still
    imports: a unit is identified by its id alone."""
    units = pending_units(locales["de"], page_ids=[rich_page.pk])
    xliff = etree.Element(f"{XLIFF}xliff", version="1.2", nsmap={None: XLIFF[1:-1]})
    file_node = etree.SubElement(
        xliff,
        f"{XLIFF}file",
        original="NoName",
        datatype="plaintext",
        **{"source-language": "en", "target-language": "de"},
    )
    body = etree.SubElement(file_node, f"{XLIFF}body")
    for unit in units:
        item = etree.SubElement(body, f"{XLIFF}trans-unit", id=unit.key)
        etree.SubElement(item, f"{XLIFF}source").text = unit.source
        etree.SubElement(item, f"{XLIFF}target").text = f"DE {unit.source}"
        path = unit.key.split(":")[1]
        etree.SubElement(
            item, f"{XLIFF}note", {"from": "developer"}
        ).text = f"standard page: {rich_page.title} ({rich_page.url_path}) — {path}"
    language, read = read_file("old.xlf", etree.tostring(xliff, xml_declaration=True))
    assert [unit.key for unit in read] == [unit.key for unit in units]
    assert import_units(language, read, locales["de"]).created == len(units)


def test_describing_the_places_does_not_query_per_string(home, locales):
    def export_queries(blocks):
        page = StandardPageFactory(
            parent=home,
            body=[("quote", {"quote": f"Q{n}", "attribution": f"A{n}"}) for n in range(blocks)],
        )
        page.save_revision().publish()
        pending_units(locales["de"], page_ids=[page.pk])  # takes the source: once per page
        with CaptureQueriesContext(connection) as queries:
            units = pending_units(locales["de"], page_ids=[page.pk])
        assert len(units) >= 2 * blocks
        assert units[-1].note.endswith(f"(block {blocks}) › Attribution")
        return len(queries)

    export_queries(1)  # caches (sites, locales) warmed
    assert export_queries(60) <= export_queries(2)


# --- wagtail-localize's own PO download ----------------------------------------------------


@pytest.fixture
def german_translation(rich_page, locales):
    synchronize_locale_trees()
    translate_object(rich_page, [locales["de"]])
    return Translation.objects.get(
        source__object_id=rich_page.translation_key, target_locale=locales["de"]
    )


@pytest.mark.parametrize("name", ["download", "upload"])
def test_the_editors_po_download_and_upload_are_this_projects_views(name):
    match = resolve(reverse(f"wagtail_localize:{name}_pofile", args=[1]))
    # This project's route (procura/urls.py), not wagtail-localize's namespaced one.
    assert match.namespace == ""
    assert match.route == f"admin/localize/translate/<int:translation_id>/pofile/{name}/"


def test_the_editors_po_download_describes_each_string(
    client, translator, german_translation, rich_page
):
    client.force_login(translator)
    response = client.get(reverse("wagtail_localize:download_pofile", args=[german_translation.pk]))
    assert response.status_code == 200
    assert "attachment; filename=" in response["Content-Disposition"]
    po = polib.pofile(response.content.decode())
    assert po.metadata["X-WagtailLocalize-TranslationID"] == str(german_translation.uuid)
    assert po.metadata["Language"] == "de"
    entry = next(e for e in po if e.msgid == "Head of procurement")
    # msgctxt stays wagtail-localize's path, which its upload reads back.
    assert entry.msgctxt.startswith("body.") and entry.msgctxt.endswith(".attribution")
    assert entry.comment.splitlines() == [
        "Standard page: Lighting the streets",
        rich_page.get_full_url(),
        "Body › Quote (block 3) › Attribution",
    ]


def test_positions_are_those_of_the_source_the_strings_were_taken_from(
    client, translator, german_translation, rich_page
):
    # A block added at the top of the original since, not yet synced: the file holds the
    # strings of the source, and describes them where they are in it.
    import json

    raw = json.loads(json.dumps(list(rich_page.body.raw_data)))
    raw.insert(0, {"type": "heading", "value": {"text": "New", "level": "h2"}, "id": "x-new"})
    rich_page.body = json.dumps(raw)
    rich_page.save_revision().publish()
    client.force_login(translator)
    response = client.get(reverse("wagtail_localize:download_pofile", args=[german_translation.pk]))
    po = polib.pofile(response.content.decode())
    assert "New" not in {entry.msgid for entry in po}
    entry = next(e for e in po if e.msgid == "Head of procurement")
    assert entry.comment.endswith("Body › Quote (block 3) › Attribution")


def test_the_editors_po_download_still_imports_through_upstreams_upload(
    client, translator, german_translation
):
    client.force_login(translator)
    response = client.get(reverse("wagtail_localize:download_pofile", args=[german_translation.pk]))
    po = polib.pofile(response.content.decode())
    for entry in po:
        entry.msgstr = f"DE {entry.msgid}"
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[german_translation.pk]),
        {"file": SimpleUploadedFile("de.po", str(po).encode())},
    )
    assert response.status_code == 302
    assert StringTranslation.objects.filter(
        locale=german_translation.target_locale, data="DE Head of procurement"
    ).exists()


def _editor_upload(client, translation, data, name="de.po"):
    """The translation editor's "Upload PO file": the messages the user is shown after it."""
    page = reverse("wagtailadmin_pages:edit", args=[translation.get_target_instance().pk])
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]) + f"?next={page}",
        {"file": SimpleUploadedFile(name, data)} if data is not None else {},
    )
    assert (response.status_code, response["Location"]) == (302, page)
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda po, units: None, "Please upload a valid PO file."),
        (lambda po, units: b"\x89PNG\r\n\x1a\n\x00", "neither a PO nor an XLIFF file"),
        # The site's own file of pending strings, uploaded here instead of under Translations.
        (lambda po, units: to_po(units, Locale.objects.get(language_code="de"), "en"), "different"),
        (lambda po, units: _titled(po, "Gent\x01"), "contains the control character U+0001"),
        (lambda po, units: _titled(po, "T" * 300), "at most 255 characters fit this field"),
    ],
)
def test_the_editors_po_upload_refuses_what_it_cannot_import_with_a_message(
    client, translator, german_translation, make, message
):
    client.force_login(translator)
    po = polib.pofile(
        client.get(
            reverse("wagtail_localize:download_pofile", args=[german_translation.pk])
        ).content.decode()
    )
    units = pending_units(german_translation.target_locale)
    before = StringTranslation.objects.count()
    said = _editor_upload(client, german_translation, make(po, units))
    assert len(said) == 1 and message in said[0], said
    assert StringTranslation.objects.count() == before


def _titled(po, title):
    for entry in po:
        entry.msgstr = title if entry.msgctxt == "title" else f"DE {entry.msgid}"
    return str(po).encode()


def test_the_editors_po_upload_keeps_what_was_translated_after_the_download(
    client, translator, german_translation
):
    client.force_login(translator)
    download = reverse("wagtail_localize:download_pofile", args=[german_translation.pk])
    older = polib.pofile(client.get(download).content.decode())
    # Afterwards a colleague uploads a title of their own.
    colleague = Client()
    colleague.force_login(make_user("carl", "Translators (de)"))
    theirs = polib.pofile(colleague.get(download).content.decode())
    assert _editor_upload(colleague, german_translation, _titled(theirs, "Titel der Kollegin"))

    said = _editor_upload(client, german_translation, _titled(older, "Alter Titel"))
    assert said == [
        "Successfully imported translations from PO File. Kept 1 string that someone else"
        " translated after the file was made."
    ]
    stored = dict(
        StringTranslation.objects.filter(locale=german_translation.target_locale).values_list(
            "context__path", "data"
        )
    )
    assert stored["title"] == "Titel der Kollegin"
    assert "DE Head of procurement" in stored.values()


def test_the_editors_po_download_of_another_language_is_refused(
    client, translator, rich_page, locales
):
    synchronize_locale_trees()
    translate_object(rich_page, [locales["fr"]])
    french = Translation.objects.get(
        source__object_id=rich_page.translation_key, target_locale=locales["fr"]
    )
    client.force_login(translator)
    response = client.get(reverse("wagtail_localize:download_pofile", args=[french.pk]))
    assert response.status_code == 403
    assert "this translation is into French" in response.content.decode()


def test_the_editors_po_download_needs_a_sign_in(client, german_translation):
    response = client.get(reverse("wagtail_localize:download_pofile", args=[german_translation.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- The import's message -------------------------------------------------------------------


def report(written, drafts):
    return ImportReport(
        language="de", created=written, translations={object() for _n in range(drafts)}
    )


def test_the_import_message_has_english_plurals():
    assert exchange_views.import_message(report(1, 1)) == (
        "Imported 1 translated string. New: 1, changed: 0, unchanged: 0, left empty: 0. "
        "Saved as 1 draft, ready for review."
    )
    assert exchange_views.import_message(report(3, 2)).startswith("Imported 3 translated strings.")
    assert exchange_views.import_message(report(3, 2)).endswith(
        "Saved as 2 drafts, ready for review."
    )
    assert "draft" not in exchange_views.import_message(report(0, 0))


@pytest.mark.parametrize(
    ("language", "written", "expected"),
    [
        ("pl", 1, "Zaimportowano 1 przetłumaczony tekst."),
        ("pl", 3, "Zaimportowano 3 przetłumaczone teksty."),
        ("pl", 5, "Zaimportowano 5 przetłumaczonych tekstów."),
        ("pl", 22, "Zaimportowano 22 przetłumaczone teksty."),
        ("sl", 2, "Uvoženi sta 2 prevedeni besedili."),
        ("sl", 101, "Uvoženo je 101 prevedeno besedilo."),
        ("lt", 11, "Importuota 11 išverstų tekstų."),
        ("ga", 8, "Allmhairíodh 8 dtéacs aistrithe."),
        ("fr", 0, "0 texte traduit importé."),
        ("de", 1, "1 übersetzter Text importiert."),
    ],
)
def test_the_import_message_follows_each_languages_plural_forms(language, written, expected):
    with i18n.override(language):
        assert exchange_views.import_message(report(written, 0)).startswith(expected)


def test_the_upload_reports_its_counts_in_the_users_language(client, translator, rich_page):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(translator)
    profile.preferred_language = "de"
    profile.save()
    client.force_login(translator)
    response = client.get(
        reverse("translations:export"), {"locale": "de", "format": "po", "pages": rich_page.pk}
    )
    po = polib.pofile(response.content.decode())
    first = next(iter(po))
    first.msgstr = "Die Straßen beleuchten"
    response = client.post(
        reverse("translations:import"),
        {"locale": "de", "file": SimpleUploadedFile("de.po", str(po).encode())},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        m.startswith("1 übersetzter Text importiert. Neu: 1, geändert: 0")
        and m.endswith("Als 1 Entwurf gespeichert, bereit zur Prüfung.")
        for m in messages
    ), messages
    assert StringTranslation.objects.filter(data="Die Straßen beleuchten").exists()


def test_the_editors_po_upload_into_a_stopped_translation_is_refused(
    client, translator, german_translation
):
    client.force_login(translator)
    download = reverse("wagtail_localize:download_pofile", args=[german_translation.pk])
    po = polib.pofile(client.get(download).content.decode())
    german_translation.enabled = False
    german_translation.save()
    before = StringTranslation.objects.count()
    said = _editor_upload(client, german_translation, _titled(po, "Neuer Titel"))
    assert said == [
        "This translation was stopped: its page is edited by hand in this language now."
    ]
    assert StringTranslation.objects.count() == before


def test_the_views_of_a_translation_whose_snippet_is_not_made_yet_answer_404(
    client, translator, locales
):
    """A download of pending strings begins a translation of each snippet (its Translation),
    not the snippet in that language: its views have nothing to act on."""
    topic = TopicFactory(name="Water", slug="water")
    client.force_login(translator)
    exported = client.get(reverse("translations:export"), {"locale": "de", "format": "po"})
    assert exported.status_code == 200
    translation = Translation.objects.get(
        source__object_id=topic.translation_key, target_locale=locales["de"]
    )
    for method, address in (
        ("get", reverse("wagtail_localize:download_pofile", args=[translation.pk])),
        ("post", reverse("wagtail_localize:upload_pofile", args=[translation.pk])),
        ("get", reverse("wagtail_localize:preview_translation", args=[translation.pk])),
        ("post", reverse("wagtail_localize:machine_translate", args=[translation.pk])),
        ("post", reverse("wagtail_localize:stop_translation", args=[translation.pk])),
        ("post", reverse("translations:submit_for_review", args=[translation.pk])),
    ):
        # Django's LocaleMiddleware sends a 404 under /admin/ on to /en/admin/…, also a 404.
        answer = getattr(client, method)(address, follow=True)
        assert answer.status_code == 404, address
