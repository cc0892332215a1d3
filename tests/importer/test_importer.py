"""`manage.py import_content`: round trip, idempotency, atomicity, real translations."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from casestudies.models import CaseStudyPage
from home.models import Topic
from importer.importing import ImportFileError, import_content
from manual.models import ManualChapterPage
from news.models import EventPage, NewsPage
from tests.utils import class_data

pytestmark = pytest.mark.django_db

DATA = {
    "topics": [
        {
            "key": "food",
            "name": "Food and catering",
            "translations": {"de": {"name": "Lebensmittel und Verpflegung"}},
        },
    ],
    "approaches": [{"key": "lcc", "name": "Life-cycle costing"}],
    "case_studies": [
        {
            "key": "ghent-food",
            "title": "Ghent serves plant-based school meals",
            "summary": "A school catering tender with a plant-based default.",
            "body_html": "<h2>Background</h2><p>Ghent wanted <b>less meat</b>.</p>"
            "<ul><li>Lot 1</li><li>Lot 2</li></ul>",
            "organisation": "City of Ghent",
            "country": "BE",
            "authority_type": "municipality",
            "population": 265000,
            "year": 2021,
            "topics": ["food"],
            "approaches": ["lcc"],
            "tags": ["school meals", "Plant-based"],
            "co2e_tonnes": 120.5,
            "cost_saving_eur": 50000,
            "energy_mwh": None,
            "related": ["oslo-light"],
            "translations": {
                "de": {
                    "title": "Gent serviert pflanzliche Schulessen",
                    "summary": "Eine Ausschreibung für Schulverpflegung.",
                    "body_html": "<h2>Hintergrund</h2><p>Gent wollte <b>weniger Fleisch</b>.</p>"
                    "<ul><li>Los 1</li><li>Los 2</li></ul>",
                    "organisation": "Stadt Gent",
                }
            },
        },
        {
            "key": "oslo-light",
            "title": "Oslo buys efficient street lights",
            "summary": "LED street lighting.",
            "organisation": "City of Oslo",
            "country": "NO",
            "authority_type": "municipality",
            "year": 2019,
            "energy_mwh": 3400,
        },
    ],
    "manual_chapters": [
        {"key": "why", "number": 1, "title": "Why", "body_html": "<h2>Reasons</h2><p>x</p>"},
        {"key": "how", "number": 1, "parent": "why", "title": "How", "body_html": "<p>y</p>"},
    ],
    "news": [
        {
            "key": "n1",
            "date": "2026-10-01",
            "title": "Seminar announced",
            "summary": "Join us.",
            "topics": ["food"],
            "tags": ["seminar"],
        }
    ],
    "events": [
        {
            "key": "e1",
            "start": "2027-03-12T09:00:00+01:00",
            "end": "2027-03-12T17:00:00+01:00",
            "title": "Seminar 2027",
            "summary": "Annual.",
            "location": "Brussels",
        }
    ],
}


def run(data):
    return import_content(copy.deepcopy(data))


@class_data
def first_import():
    """`DATA` imported once, for the tests of what the first run made and of a second run."""
    run(DATA)


@pytest.mark.usefixtures("first_import")
class TestAfterTheFirstRun:
    def test_round_trip_creates_pages_translations_and_links(self, client):
        ghent = CaseStudyPage.objects.get(slug="ghent-food", locale__language_code="en")
        assert ghent.live and ghent.country.code == "BE" and ghent.year == 2021
        assert ghent.population_band == "250k_1m"
        assert float(ghent.co2e_tonnes_per_year) == 120.5 and ghent.energy_mwh_per_year is None
        assert [t.slug for t in ghent.topics.all()] == ["food"]
        assert sorted(t.name for t in ghent.tags.all()) == ["Plant-based", "school meals"]
        assert [r.case_study.slug for r in ghent.related_case_studies.all()] == ["oslo-light"]
        assert [b.block_type for b in ghent.body] == ["heading", "paragraph"]

        # The German page is a translation made by wagtail-localize, not a copy.
        german = CaseStudyPage.objects.get(
            translation_key=ghent.translation_key, locale__language_code="de"
        )
        assert german.alias_of_id is None and german.live
        assert german.title == "Gent serviert pflanzliche Schulessen"
        assert german.organisation == "Stadt Gent"
        assert german.country.code == "BE"  # synchronised, not translated
        # Linked after the translations were made, in each language's own version.
        assert [(p.slug, p.locale.language_code) for p in german.related_pages()] == [
            ("oslo-light", "de")
        ]
        translation = Translation.objects.get(
            source__object_id=ghent.translation_key, target_locale__language_code="de"
        )
        assert translation.get_progress() == (translation.source.stringsegment_set.count(),) * 2
        body = client.get("/de/case-studies/ghent-food/").content.decode()
        assert "Gent wollte <b>weniger Fleisch</b>." in body and "<li>Los 2</li>" in body
        assert 'href="/de/case-studies/oslo-light/"' in body
        # Untranslated languages hold fallback pages of the original.
        french = CaseStudyPage.objects.get(
            translation_key=ghent.translation_key, locale__language_code="fr"
        )
        assert french.alias_of_id == ghent.pk

        chapter = ManualChapterPage.objects.get(slug="how", locale__language_code="en")
        assert chapter.get_parent().slug == "why"
        assert NewsPage.objects.filter(slug="n1").count() == 24
        assert EventPage.objects.get(slug="e1", locale__language_code="en").venue == "Brussels"
        assert Topic.objects.get(slug="food", locale__language_code="de").name == (
            "Lebensmittel und Verpflegung"
        )

    def test_the_translation_source_holds_the_original_as_published(self):
        # wagtail-localize's copy of the original, which translators see and sync from.
        ghent = CaseStudyPage.objects.get(slug="ghent-food", locale__language_code="en")
        source = TranslationSource.objects.get(object_id=ghent.translation_key, locale=ghent.locale)
        assert source.as_instance().live_revision_id == ghent.live_revision_id is not None

    def test_the_admin_search_and_the_usage_counts_know_what_was_imported(self, admin_client):
        # Written in bulk after the import (home/batching.py), not on each save.
        response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "Schulessen"})
        assert "Gent serviert pflanzliche Schulessen" in response.content.decode()
        topics = get_search_backend().search("Verpflegung", Topic)
        assert [t.locale.language_code for t in topics] == ["de"]
        ghent, oslo = (
            CaseStudyPage.objects.get(slug=slug, locale__language_code="en")
            for slug in ("ghent-food", "oslo-light")
        )
        using = ReferenceIndex.get_references_to(oslo).values_list("object_id", flat=True)
        assert str(ghent.pk) in set(using)

    def test_rerun_changes_nothing_and_duplicates_nothing(self):
        pages, revisions = Page.objects.count(), Revision.objects.count()
        strings = StringTranslation.objects.count()
        result = run(DATA)
        assert Page.objects.count() == pages
        assert Revision.objects.count() == revisions
        assert StringTranslation.objects.count() == strings
        outcomes = {what for counts in result.counts["case_studies"].values() for what in counts}
        assert outcomes == {"unchanged"}
        assert result.conflicts == []

    def test_tags_that_differ_only_by_case_are_one_tag_and_change_nothing_again(self):
        changed = copy.deepcopy(DATA)
        changed["case_studies"][0]["tags"] = ["school meals", "plant-based", "Plant-Based"]
        run(changed)
        revisions = Revision.objects.count()
        result = run(changed)
        assert Revision.objects.count() == revisions
        assert dict(result.counts["case_studies"]["en"]) == {"unchanged": 2}

    def test_a_case_study_named_twice_in_related_is_related_once(self):
        changed = copy.deepcopy(DATA)
        changed["case_studies"][0]["related"] = ["oslo-light", "oslo-light"]
        run(changed)
        ghent = CaseStudyPage.objects.get(slug="ghent-food", locale__language_code="en")
        assert ghent.related_case_studies.count() == 1

    def test_rerun_with_changes_updates_in_place(self):
        changed = copy.deepcopy(DATA)
        changed["case_studies"][0]["year"] = 2022
        changed["case_studies"][0]["translations"]["de"]["title"] = "Gent kocht pflanzlich"
        pages = Page.objects.count()
        result = run(changed)
        assert Page.objects.count() == pages
        assert result.counts["case_studies"]["en"]["updated"] == 1
        assert result.counts["case_studies"]["de"]["updated"] == 1
        german = CaseStudyPage.objects.get(slug="ghent-food", locale__language_code="de")
        assert german.title == "Gent kocht pflanzlich"
        assert german.year == 2022  # synchronised fields follow the original


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["case_studies"][1].update(country="XX"),
            'case_studies[1] (key "oslo-light"), field "country": "XX" is not an ISO 3166',
        ),
        (
            lambda d: d["case_studies"][1].update(year="soon"),
            'case_studies[1] (key "oslo-light"), field "year": must be a number',
        ),
        (
            lambda d: d["case_studies"][1].pop("title"),
            'case_studies[1] (key "oslo-light"), field "title": is required',
        ),
        (
            lambda d: d["case_studies"][0].update(topics=["nope"]),
            'field "topics": refers to "topics:nope"',
        ),
        (lambda d: d["case_studies"][1].update(key="ghent-food"), 'field "key": appears twice'),
        (
            lambda d: d["case_studies"][0]["translations"].update(xx={"title": "?"}),
            '"xx" is not one of the site\'s languages',
        ),
        (
            lambda d: d["case_studies"][0]["translations"]["de"].update(country="DE"),
            "field(s) that cannot be translated: country",
        ),
        (lambda d: d["case_studies"][0].update(colour="green"), "unknown field(s): colour"),
        (
            lambda d: d["events"][0].update(start="2027-03-12T09:00:00"),
            'field "start": must include a UTC offset',
        ),
        (
            lambda d: d["events"][0].update(end="2027-03-11T09:00:00+01:00"),
            'field "end": is before the start',
        ),
        (lambda d: d.update(sparkles=[]), "unknown section(s): sparkles"),
        (
            lambda d: d["case_studies"][1].update(body_html="<p>x \udc00 y</p>"),
            'field "body_html": contains \\udc00, half of a character',
        ),
        (
            lambda d: d["case_studies"][0]["translations"]["de"].update(title="Gent \ud800"),
            'field "title": contains \\ud800, half of a character',
        ),
        (
            lambda d: d["case_studies"][1].update(title="Oslo\x00"),
            'field "title": contains a null character',
        ),
        (
            lambda d: d["news"][0].update(summary="Bus\x1blights"),
            'field "summary": contains the control character U+001B',
        ),
        (
            lambda d: d["news"][0].update(title="Bus\uffff"),
            'field "title": contains U+FFFF, which is no character',
        ),
        (
            lambda d: d["events"][0].update(start="0001-01-01T00:00:00+14:00"),
            'field "start": must be in the years 1900 to 2199',
        ),
        (
            lambda d: d["events"][0].update(end="9999-12-31T23:00:00-14:00"),
            'field "end": must be in the years 1900 to 2199',
        ),
        # A list or an object where a choice or a language is expected.
        (
            lambda d: d["case_studies"][1].update(authority_type=["municipality"]),
            'field "authority_type": a list is not one of',
        ),
        (
            lambda d: d["case_studies"][1].update(population_band={}),
            'field "population_band": a dict is not one of',
        ),
        (lambda d: d["events"][0].update(type=[]), 'field "type": a list is not one of'),
        (
            lambda d: d["case_studies"][1].update(locale=["en"]),
            "is not one of the site's languages",
        ),
        # Text a translation gives where the original has none: it would be lost.
        (
            lambda d: d["case_studies"][0]["translations"]["de"].update(
                body_html=d["case_studies"][0]["translations"]["de"]["body_html"] + "<h2>Mehr</h2>"
            ),
            "where the original has none",
        ),
        (
            lambda d: d["case_studies"][0]["translations"]["de"].update(co2e_note="Nur hier"),
            "at co2e_note where the original has none",
        ),
        # A page's parent named before it is made: where the record is, what is missing.
        (
            lambda d: d.update(
                pages=[
                    {"key": "p1", "title": "P", "parent": "pages:p2"},
                    {"key": "p2", "title": "Q"},
                ]
            ),
            'pages[0] (key "p1"): "pages:p2" has no page in language en',
        ),
        (
            lambda d: (
                d.update(pages=[{"key": "p1", "title": "P", "parent": "case_studies:x"}])
                or d["case_studies"][1].update(key="x")
            ),
            '"case_studies" comes after this section',
        ),
        # Text in lists and keys is checked as any text is.
        (
            lambda d: d["case_studies"][1].update(tags=["bad\x1btag"]),
            'field "tags": contains the control character U+001B',
        ),
        (
            lambda d: d["case_studies"][1].update(tags=["x" * 101]),
            'field "tags": is 101 characters long; at most 100',
        ),
        (lambda d: d["news"][0].update(key="n\x07"), 'field "key": contains the control'),
        (lambda d: d["news"][0].update(key="k" * 201), 'field "key": is 201 characters long'),
        (
            lambda d: d["news"][0].update(title="T\x9b31m"),
            'field "title": contains the control character U+009B',
        ),
        # References the file names but that have no page in the record's language.
        (
            lambda d: d["manual_chapters"][1].update(locale="de"),
            'manual_chapters[1] (key "how"): parent: chapter "why" has no page in de',
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(mutate, message):
    pages, topics = Page.objects.count(), Topic.objects.count()
    data = copy.deepcopy(DATA)
    mutate(data)
    with pytest.raises(ImportFileError) as error:
        run(data)
    assert message in str(error.value)
    assert Page.objects.count() == pages and Topic.objects.count() == topics


def test_a_translation_that_breaks_the_structure_rolls_back_everything():
    pages, logs = Page.objects.count(), PageLogEntry.objects.count()
    data = copy.deepcopy(DATA)
    # Second case study's German text drops a list item: found only while writing.
    data["case_studies"][0]["translations"]["de"]["body_html"] = (
        "<h2>Hintergrund</h2><p>Gent.</p><ul><li>Los 1</li></ul>"
    )
    with pytest.raises(ImportFileError) as error:
        run(data)
    assert 'case_studies[0] (key "ghent-food"), translation de' in str(error.value)
    assert "translate every heading and paragraph" in str(error.value)
    assert Page.objects.count() == pages
    assert PageLogEntry.objects.count() == logs
    assert not CaseStudyPage.objects.exists()


def test_command_reports_counts_and_fails_cleanly(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(DATA), encoding="utf-8")
    call_command("import_content", str(good))
    out = capsys.readouterr().out
    assert "case_studies (en): 2 created" in out and "case_studies (de): 1 created" in out

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON: .* line 1, column 2"):
        call_command("import_content", str(bad))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_content", str(tmp_path / "missing.json"))


def test_demo_content_file_is_valid_and_complete():
    """The file `make run` loads: enough of everything, in the languages promised."""
    from django.conf import settings

    data = json.loads((settings.BASE_DIR / "demo" / "content.json").read_text("utf-8"))
    studies = data["case_studies"]
    assert len(studies) >= 12
    assert len({s["country"] for s in studies}) >= 8
    assert len([c for c in data["manual_chapters"] if not c.get("parent")]) >= 6
    assert len(data["news"]) >= 8 and len(data["events"]) >= 3
    for section in ("case_studies", "manual_chapters", "news", "events", "pages"):
        for record in data[section]:
            missing = {"de", "fr", "es", "it", "pl"} - set(record.get("translations", {}))
            assert not missing, f"{section} {record['key']} lacks {sorted(missing)}"


def test_body_html_keeps_escaped_text_as_text_and_leaves_comments_out():
    from importer.importing import html_to_body

    blocks = html_to_body(
        '<!-- wp:paragraph -->&lt;a href="https://example.org"&gt;x&lt;/a&gt;<p>Real</p>', "s"
    )
    assert [block["type"] for block in blocks] == ["paragraph"]
    value = blocks[0]["value"]
    assert "wp:paragraph" not in value
    assert "<a href" not in value and "&lt;a href" in value and "<p>Real</p>" in value
