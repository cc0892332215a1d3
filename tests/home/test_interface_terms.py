"""One word per concept in each language: every interface string about case studies, news
and topics uses the word the menu and the section's title use (the menu's own word is checked
against the catalogue in test_language_switcher.py)."""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]

# The word for "case study" in each language, in every form the catalogue inflects it to.
CASE_STUDY = {
    "bg": r"казус",
    "cs": r"případov\w* studi",
    "da": r"casestudie",
    "de": r"fallstudie",
    "el": r"μελέτη περίπτωσης|μελέτης περίπτωσης|μελέτες περιπτώσεων|μελετών περιπτώσεων",
    "en": r"case stud",
    "es": r"estudios? de caso",
    "et": r"juhtumiuuring",
    "fi": r"esimerkkitapa",
    "fr": r"études? de cas",
    "ga": r"(c|ch|gc)ás-staidé",  # with its lenition and eclipsis
    "hr": r"studij\w* slučaja",
    "hu": r"esettanulmány",
    "it": r"cas[oi] di studio",
    "lt": r"atvej\w* analiz",
    "lv": r"gadījum\w* izpē[tš]",
    "mt": r"stud\w* ta' każ",
    "nl": r"casestudy",
    "pl": r"studi\w* przypadk",
    "pt": r"estudos? de caso",
    "ro": r"studi\w* de caz",
    "sk": r"prípadov\w* štúdi",
    "sl": r"študij\w* primer",
    "sv": r"fallstudie",
}
# Where a language has two words for a section, the one it does not use.
NOT_USED = {
    "el": {"news": r"\bνέα\b"},
    "lv": {"news": r"\bziņ"},
    "nl": {"topic": r"onderwerp"},
}


def catalogue(code):
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


def translations(entry):
    return [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())


def test_every_language_has_its_word():
    assert set(CASE_STUDY) == set(LANGUAGE_CODES)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_string_about_case_studies_uses_the_one_word(code):
    word = re.compile(CASE_STUDY[code], re.IGNORECASE)
    others = [
        (entry.msgid, text)
        for entry in catalogue(code)
        if not entry.obsolete and "case stud" in entry.msgid.lower()
        for text in translations(entry)
        if not word.search(text)
    ]
    assert not others, others


@pytest.mark.parametrize(("code", "concept"), [(c, k) for c, w in NOT_USED.items() for k in w])
def test_the_other_word_for_a_section_is_not_used(code, concept):
    other = re.compile(NOT_USED[code][concept], re.IGNORECASE)
    found = [
        (entry.msgid, text)
        for entry in catalogue(code)
        if not entry.obsolete and re.search(rf"\b{concept}", entry.msgid, re.IGNORECASE)
        for text in translations(entry)
        if other.search(text)
    ]
    demo = json.loads((ROOT / "demo" / "content.json").read_text(encoding="utf-8"))
    menu = next(m for m in demo["navigation"] if m["key"] == "main")
    labels = [link["label"] for link in menu["translations"][code]["links"]]
    found += [("menu", label) for label in labels if other.search(label)]
    assert not found, found
