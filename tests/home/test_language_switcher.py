"""The language switcher tells translated languages from those that would show the original's
text, the fallback notice links to the translations, and neither costs a query per language."""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests.factories import StandardPageFactory
from tests.utils import translate_page

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]

pytestmark = pytest.mark.django_db


def switcher_groups(html):
    """{"translated": [codes], "untranslated": [codes]} of the switcher's two lists."""
    switcher = re.search(r'<details class="language-switcher".*?</details>', html, re.S).group(0)
    lists = re.findall(
        r'<ul class="language-switcher__list([^"]*)"[^>]*>(.*?)</ul>', switcher, re.S
    )
    groups = {"translated": [], "untranslated": []}
    for modifier, items in lists:
        group = "untranslated" if "--fallback" in modifier else "translated"
        groups[group] += re.findall(r'hreflang="([^"]+)"', items)
    return groups


def fallback_notice(html):
    found = re.search(r'<div class="notice notice--fallback".*?</div>\s*</div>', html, re.S)
    return found.group(0) if found else None


@pytest.fixture
def about(home):
    page = StandardPageFactory(parent=home, title="About", slug="about")
    page.save_revision().publish()
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return page


def test_switcher_groups_translated_languages_apart_from_fallback_pages(client, about):
    translate_page(about, "de", title="Über uns")
    translate_page(about, "fr", title="À propos")
    # A translation begun and never published shows the original's text: not translated.
    begun = translate_page(about, "pl", publish=False)
    Page.objects.filter(pk=begun.pk).update(live=True, live_revision=about.live_revision)

    html = client.get("/it/about/").content.decode()
    groups = switcher_groups(html)
    assert groups["translated"] == ["de", "en", "fr"]
    assert sorted(groups["untranslated"]) == sorted(set(LANGUAGE_CODES) - {"de", "en", "fr"})
    assert "pl" in groups["untranslated"]
    # The group says so in words, and each of its links does too (for screen readers that
    # list links on their own); the current page stays marked.
    assert "Non ancora tradotto: mostrato nella lingua originale (inglese)" in html
    assert (
        'href="/it/about/" hreflang="it" lang="it" aria-current="page">italiano'
        '<span class="visually-hidden" lang="it"> (non ancora tradotto)</span></a>'
    ) in html
    assert 'hreflang="de" lang="de">Deutsch</a>' in html

    # Every language links to this page's version in it, whichever group it is in.
    for code in LANGUAGE_CODES:
        assert f'href="/{code}/about/" hreflang="{code}" lang="{code}"' in html


def test_a_view_that_is_not_a_page_has_one_group(client):
    html = client.get("/de/search/").content.decode()
    groups = switcher_groups(html)
    assert sorted(groups["translated"]) == sorted(LANGUAGE_CODES)
    assert groups["untranslated"] == []
    assert "language-switcher__heading" not in html


def test_fallback_notice_links_to_the_translations(client, about):
    translate_page(about, "de", title="Über uns")
    translate_page(about, "fr", title="À propos")
    begun = translate_page(about, "pl", publish=False)
    Page.objects.filter(pk=begun.pk).update(live=True, live_revision=about.live_revision)

    for shown in ("it", "pl"):
        notice = fallback_notice(client.get(f"/{shown}/about/").content.decode())
        assert notice is not None, shown
        links = re.findall(
            r'<a href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)">([^<]+)</a>', notice
        )
        assert links == [
            ("/de/about/", "de", "de", "Deutsch"),
            ("/en/about/", "en", "en", "English"),
            ("/fr/about/", "fr", "fr", "français"),
        ], shown
    # A translation has no notice; the original neither.
    for shown in ("de", "en"):
        assert fallback_notice(client.get(f"/{shown}/about/").content.decode()) is None


def test_switcher_and_notice_queries_do_not_grow_with_the_translations(client, about):
    """The switcher, the alternates and the notice share one query for the whole set of
    language versions, however many of them are translations."""

    def queries(path):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    translate_page(about, "de", title="Über uns")
    few = (queries("/it/about/"), queries("/de/about/"))
    for code in ("fr", "es", "pl", "sv", "fi", "cs"):
        translate_page(about, code, title=f"About ({code})")
    assert (queries("/it/about/"), queries("/de/about/")) == few
    assert len(switcher_groups(client.get("/it/about/").content.decode())["translated"]) == 8


def case_study_terms(code):
    """The case study index's name for `code`: in the demo's menu, as the index's title (which
    the breadcrumb shows) and in the interface catalogue."""
    demo = json.loads((ROOT / "demo" / "content.json").read_text(encoding="utf-8"))
    index = next(i for i in demo["case_study_index"] if i["key"] == "case-studies")
    menu = next(m for m in demo["navigation"] if m["key"] == "main")
    position = next(
        n
        for n, link in enumerate(menu["links"])
        if link.get("page") == "case_study_index:case-studies"
    )
    catalogue = polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))
    if code == "en":  # the demo's source language
        menu_label, title = menu["links"][position]["label"], index["title"]
    else:
        menu_label = menu["translations"][code]["links"][position]["label"]
        title = index["translations"][code]["title"]
    return {
        "menu": menu_label,
        "title": title,
        "interface": catalogue.find("Case studies").msgstr,
    }


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_one_word_for_case_studies(code):
    terms = case_study_terms(code)
    assert len(set(terms.values())) == 1, terms
