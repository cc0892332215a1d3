"""The glossary: a place name in any language's form finds the pages that use another
(Kraków, krakow, Krakau, Cracovie), on the database engine of the run (SQLite, or PostgreSQL
with DATABASE_URL); kept by editors in the admin, and read by searches without a query."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from importer.importing import import_content
from search.glossary import expand, glossary
from search.models import GlossaryTerm, GlossaryVariant
from search.query import search

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[3] / "demo" / "content.json"

KRAKOW = {
    "pl": ["Kraków", "Krakowa", "Krakowie"],
    "en": ["Kraków"],
    "de": ["Krakau", "Krakaus"],
    "fr": ["Cracovie"],
    "es": ["Cracovia"],
    "it": ["Cracovia"],
}
# The collection's case study in each language (tests/search/conftest.py).
KRAKOW_TITLES = {
    "en": "Kraków buys electric buses",
    "de": "Krakau kauft Elektrobusse",
    "fr": "Cracovie achète des bus électriques",
    "es": "Cracovia compra autobuses eléctricos",
    "it": "Cracovia acquista autobus elettrici",
    "pl": "Kraków kupuje autobusy elektryczne",
}


def make_term(name, variants, kind=GlossaryTerm.PLACE):
    term = GlossaryTerm(name=name, kind=kind)
    term.variants = [
        GlossaryVariant(language=language, text=text)
        for language, texts in variants.items()
        for text in texts
    ]
    term.save()
    return term


def titles(results):
    return [hit.title for hit in results.hits]


@pytest.fixture
def krakow(collection):
    return make_term("Kraków", KRAKOW)


# (language of the search, query): each must find that language's Kraków case study.
OTHER_LANGUAGES_FORMS = [
    ("de", "Kraków"),
    ("de", "krakow"),
    ("de", "KRAKOW"),
    ("de", "Cracovie"),
    ("fr", "Krakau"),
    ("fr", "Kraków"),
    ("fr", "krakow"),
    ("pl", "Krakau"),
    ("pl", "Cracovie"),
    ("pl", "krakow"),
    ("pl", "w Krakowie"),  # an inflected form of the language's own name
    ("es", "Krakau"),
    ("it", "Kraków"),
    ("en", "Krakau"),
]


@pytest.mark.parametrize(("language", "query"), OTHER_LANGUAGES_FORMS)
def test_a_place_name_in_another_form_finds_the_page(krakow, language, query):
    assert titles(search(query, language, log=False)) == [KRAKOW_TITLES[language]]


@pytest.mark.parametrize(("language", "query"), [("de", "Kraków"), ("fr", "Krakau")])
def test_without_the_glossary_the_other_form_finds_nothing(collection, language, query):
    assert search(query, language, log=False).total == 0


def test_the_place_name_combines_with_the_other_words(krakow):
    assert titles(search("Kraków Ladestationen", "de", log=False)) == [KRAKOW_TITLES["de"]]
    assert titles(search("cracovia autobuses", "es", log=False)) == [KRAKOW_TITLES["es"]]
    # Every other word must still match.
    assert search("Kraków Schulessen", "de", log=False).total == 0


def test_the_form_in_the_text_is_highlighted(krakow):
    (hit,) = search("Kraków", "de", log=False).hits
    assert hit.title_html == "<mark>Krakau</mark> kauft Elektrobusse"
    (hit,) = search("krakow", "fr", log=False).hits
    assert "<mark>Cracovie</mark>" in hit.title_html


def test_search_all_languages_finds_every_languages_form(krakow):
    results = search("Krakau", "en", all_languages=True, log=False)
    assert sorted(hit.language for hit in results.hits) == ["de", "en", "es", "fr", "it", "pl"]


def test_a_name_of_several_words_is_matched_whole(collection):
    make_term("The Hague", {"en": ["The Hague"], "nl": ["Den Haag"], "fr": ["La Haye"]})
    plain, groups = expand("den haag tenders", "en")
    assert plain == ["tender"]
    (group,) = groups
    assert ("hagu",) in group and ("den", "haag") in group and ("la", "hay") in group
    # One word of it alone is no variant.
    assert expand("haag", "en") == (["haag"], [])


def test_the_analysis_of_each_form_follows_the_documents_language(krakow):
    plain, groups = expand("Kraków buses", "de")
    assert plain == ["bus"]
    (group,) = groups
    assert ("krakau",) in group and ("krakow",) in group and ("cracovi",) in group


def test_an_editor_keeps_the_list_in_the_admin_and_the_next_search_uses_it(
    collection, client, django_capture_on_commit_callbacks
):
    editor = get_user_model().objects.create_user("elena", "elena@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert search("Krakau", "fr", log=False).total == 0  # the empty list, now remembered
    assert client.get(reverse("wagtailsnippets_search_glossaryterm:add")).status_code == 200
    generation = glossary.changes.current()
    stale = dict(glossary.entries)

    data = nested_form_data(
        {
            "name": "Kraków",
            "kind": "place",
            "variants": inline_formset(
                [
                    {"language": "pl", "text": "Kraków"},
                    {"language": "de", "text": "Krakau"},
                    {"language": "fr", "text": "Cracovie"},
                ]
            ),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailsnippets_search_glossaryterm:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert titles(search("Krakau", "fr", log=False)) == [KRAKOW_TITLES["fr"]]

    # Another process, holding the list from before, sees the bumped generation.
    assert glossary.changes.current() != generation
    glossary.entries, glossary.generation, glossary.checked = stale, generation, None
    assert titles(search("Krakau", "fr", log=False)) == [KRAKOW_TITLES["fr"]]

    term = GlossaryTerm.objects.get()
    edit = client.get(reverse("wagtailsnippets_search_glossaryterm:edit", args=[term.pk]))
    assert edit.status_code == 200 and "Cracovie" in edit.content.decode()
    listing = client.get(reverse("wagtailsnippets_search_glossaryterm:list"), {"q": "krakau"})
    assert "Kraków" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_search_glossaryterm:delete", args=[term.pk])
        )
    assert response.status_code == 302
    assert search("Krakau", "fr", log=False).total == 0


def test_translators_do_not_keep_the_glossary(client):
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="change_glossaryterm").exists()
    translator = get_user_model().objects.create_user("greta", "greta@example.org", "pw")
    translator.groups.add(Group.objects.get(name="Translators (de)"))
    client.force_login(translator)
    response = client.get(reverse("wagtailsnippets_search_glossaryterm:list"))
    assert response.status_code in (302, 403)


def glossary_queries(captured):
    return [q["sql"] for q in captured if "search_glossary" in q["sql"]]


def queries_of(query, language):
    search(query, language, log=False)  # the first search of a process reads what it keeps
    with CaptureQueriesContext(connection) as captured:
        search(query, language, log=False)
    return captured.captured_queries


def test_a_search_asks_the_database_nothing_for_the_glossary(collection):
    without_list = len(queries_of("electric buses", "en"))
    make_term("Kraków", KRAKOW)
    make_term("Vienna", {"en": ["Vienna"], "de": ["Wien"], "fr": ["Vienne"]})
    with_list = queries_of("electric buses", "en")
    assert len(with_list) == without_list
    assert not glossary_queries(with_list)
    assert not glossary_queries(queries_of("Krakau buses", "en"))


def test_the_demo_content_holds_the_demo_places_and_searches_use_them(collection):
    glossary_section = json.loads(DEMO.read_text(encoding="utf-8"))["glossary"]
    import_content({"glossary": glossary_section})
    names = set(GlossaryTerm.objects.values_list("name", flat=True))
    assert {"Kraków", "Ghent", "Vienna", "Brussels", "Lisbon", "Munich"} <= names
    assert titles(search("Krakau", "fr", log=False)) == [KRAKOW_TITLES["fr"]]
    # The factory's pages all name "City of Ghent" (in English) below: the title ranks first.
    assert titles(search("Gent", "pl", log=False))[0] == "Gandawa podaje roślinne posiłki szkolne"
    assert titles(search("Gandawa", "it", log=False))[0] == "Gand serve pasti scolastici vegetali"


def test_the_import_creates_once_and_keeps_what_editors_changed(collection):
    record = {"key": "krakow", "name": "Kraków", "variants": {"pl": ["Kraków"], "any": ["Krakow"]}}
    ctx = import_content({"glossary": [record]})
    assert ctx.counts["glossary"]["en"]["created"] == 1
    term = GlossaryTerm.objects.get()
    assert sorted(term.variants.values_list("language", "text")) == [
        ("", "Krakow"),
        ("pl", "Kraków"),
    ]
    assert import_content({"glossary": [record]}).counts["glossary"]["en"]["unchanged"] == 1
    GlossaryVariant.objects.create(term=term, language="de", text="Krakau")
    ctx = import_content({"glossary": [record]})
    assert [str(c) for c in ctx.conflicts] == [
        'glossary "krakow" (en): not as the file has it (changed in the admin or in the file)'
    ]
    assert term.variants.count() == 3
    ctx = import_content({"glossary": [record]}, force=True)
    assert ctx.counts["glossary"]["en"]["updated"] == 1
    assert GlossaryTerm.objects.get().variants.count() == 2


def test_the_import_names_a_bad_variant():
    from importer.importing import ImportFileError

    bad = {"key": "x", "name": "X", "variants": {"xx": ["X"]}}
    with pytest.raises(ImportFileError, match='"xx" is not one of the site'):
        import_content({"glossary": [bad]})
