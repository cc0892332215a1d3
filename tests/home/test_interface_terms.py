"""One word per concept in each language: for case studies, news and topics, every language has
its one word, which every interface string about the concept uses in each of its translations
and the main menu uses in its label for the section. Where a language has a second word for a
section, that word is not used at all, not even beside the one word. (The case study index's
title is checked against the menu and the catalogue in test_language_switcher.py.)"""

import json
import re
from functools import cache
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
# The word for "news" in each language, in every form the catalogue inflects it to.
NEWS = {
    "bg": r"новин",
    "cs": r"aktualit",
    "da": r"nyhed",
    "de": r"nachricht",
    "el": r"ειδήσ|είδησ",
    "en": r"\bnews\b",
    "es": r"notici",
    "et": r"uudis",
    "fi": r"uuti[sn]",
    "fr": r"actualité",
    "ga": r"nuacht",
    "hr": r"vijest",
    "hu": r"\bhír",
    "it": r"notizi",
    "lt": r"naujien",
    "lv": r"jaunum",
    "mt": r"aħbar",
    "nl": r"nieuws",
    "pl": r"aktualno",
    "pt": r"notícia",
    "ro": r"știr",
    "sk": r"novin",
    "sl": r"novic",
    "sv": r"nyhet",
}
# The word for "topic" in each language, in every form the catalogue inflects it to.
TOPIC = {
    "bg": r"\bтем[аи]",
    "cs": r"\btéma",
    "da": r"\bemne",
    "de": r"\bthem[ae]",
    "el": r"θέμα|θεμάτ",
    "en": r"\btopics?\b",
    "es": r"\btemas?\b",
    "et": r"\bteema",
    "fi": r"\baihe",
    "fr": r"thématique",
    "ga": r"ábhai?r",  # a vowel is not lenited; eclipsis (n-ábhar) and h- keep the word whole
    "hr": r"\btem[aeiou]",
    "hu": r"\btém[aá]",
    "it": r"\btem[ai]\b",
    "lt": r"\btem[aoąų]",
    "lv": r"\btēm",
    "mt": r"suġġett",
    "nl": r"\bthema",
    "pl": r"\btemat",
    "pt": r"\btemas?\b",
    "ro": r"\btem[eăa]",
    "sk": r"\btém",
    "sl": r"\btem[aeio]",
    "sv": r"ämne",
}
WORDS = {"case study": CASE_STUDY, "news": NEWS, "topic": TOPIC}
# How an English msgid mentions each concept.
MENTIONS = {"case study": r"case stud", "news": r"\bnews\b", "topic": r"\btopics?\b"}
# An address such as /en/topics/ names a URL, not the concept: its translations keep it as it is.
ADDRESS = re.compile(r"(?:/[\w.-]+)+/?")
# The main menu's link to each concept's section.
MENU_TARGETS = {
    "case study": "case_study_index:case-studies",
    "news": "news_index:news",
    "topic": "/en/topics/",
}
# Where a language has two words for a section, the one it does not use.
NOT_USED = {
    "el": {"news": r"\bνέα\b"},
    "lv": {"news": r"\bziņ"},
    "nl": {"topic": r"onderwerp"},
}


@cache  # read once per language, not once per test
def catalogue(code):
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


def translations(entry):
    return [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())


def mentions(entry, concept):
    """Whether the msgid (or its plural) speaks of the concept, outside any address."""
    text = ADDRESS.sub("", f"{entry.msgid}\n{entry.msgid_plural}")
    return re.search(MENTIONS[concept], text, re.IGNORECASE) is not None


def main_menu():
    demo = json.loads((ROOT / "demo" / "content.json").read_text(encoding="utf-8"))
    return next(m for m in demo["navigation"] if m["key"] == "main")


def menu_labels(code):
    """The main menu's labels in `code`, in the menu's order (English is the demo's source)."""
    menu = main_menu()
    links = menu["links"] if code == "en" else menu["translations"][code]["links"]
    return [link["label"] for link in links]


CONCEPT_CASES = [(code, concept) for concept in WORDS for code in LANGUAGE_CODES]


@pytest.mark.parametrize("concept", WORDS)
def test_every_language_has_its_word(concept):
    assert set(WORDS[concept]) == set(LANGUAGE_CODES)


@pytest.mark.parametrize(("code", "concept"), CONCEPT_CASES)
def test_every_string_about_the_concept_uses_the_one_word(code, concept):
    word = re.compile(WORDS[concept][code], re.IGNORECASE)
    others = [
        (entry.msgid, text)
        for entry in catalogue(code)
        if not entry.obsolete and mentions(entry, concept)
        for text in translations(entry)
        if not word.search(text)
    ]
    assert not others, others


@pytest.mark.parametrize(("code", "concept"), CONCEPT_CASES)
def test_the_menu_uses_the_one_word(code, concept):
    position = next(
        n
        for n, link in enumerate(main_menu()["links"])
        if MENU_TARGETS[concept] in (link.get("page"), link.get("url"))
    )
    label = menu_labels(code)[position]
    assert re.search(WORDS[concept][code], label, re.IGNORECASE), label


@pytest.mark.parametrize(("code", "concept"), [(c, k) for c, w in NOT_USED.items() for k in w])
def test_the_other_word_for_a_section_is_not_used(code, concept):
    """Not even beside the one word, in a string about the section or anywhere in the menu."""
    other = re.compile(NOT_USED[code][concept], re.IGNORECASE)
    found = [
        (entry.msgid, text)
        for entry in catalogue(code)
        if not entry.obsolete and mentions(entry, concept)
        for text in translations(entry)
        if other.search(text)
    ]
    found += [("menu", label) for label in menu_labels(code) if other.search(label)]
    assert not found, found
