"""Language analysis: inflections, accents, stop words, per language."""

import pytest

from search.analysis import SNOWBALL, analyzer, fold


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("de", ["Beschaffung", "Beschaffungen"]),
        ("de", ["Lebensmittel", "Lebensmitteln"]),
        ("fr", ["élève", "élèves", "eleves"]),
        ("fr", ["achat", "achats"]),
        ("es", ["contratación", "contrataciones", "contratacion"]),
        ("it", ["appalto", "appalti"]),
        ("pl", ["zamówienie", "zamówienia", "zamówień", "zamowienie"]),
        ("pl", ["publiczne", "publicznych"]),
        ("en", ["procurement", "procurements"]),
        ("en", ["pump", "pumps", "pumping"]),
        ("hr", ["nabava", "nabave", "nabavi"]),
        ("fi", ["hankinnat", "hankinta"]),
        ("el", ["προμήθειες", "προμηθειών"]),
        ("nl", ["aanbesteding", "aanbestedingen"]),
        ("sv", ["upphandling", "upphandlingen"]),
    ],
)
def test_inflected_forms_share_a_term(language, forms):
    a = analyzer(language)
    terms = {a.term(form.casefold()) for form in forms}
    assert len(terms) == 1, terms


@pytest.mark.parametrize("language", ["bg", "lv", "mt", "sk", "sl"])
def test_languages_without_a_stemmer_fold_accents(language):
    assert language not in SNOWBALL
    a = analyzer(language)
    assert a.terms("Čistá ENERGIJA Ħamrun Łódź") == ["cista", "energija", "hamrun", "lodz"]


def test_stop_words_are_dropped_per_language():
    assert analyzer("en").terms("The procurement of buses and the city") == [
        "procur",
        "buse",
        "citi",
    ]
    assert analyzer("de").terms("Die Beschaffung der Stadt") == ["beschaff", "stadt"]
    assert analyzer("fr").terms("L'achat des élèves") == ["achat", "elev"]


def test_terms_are_only_letters_and_digits():
    a = analyzer("en")
    nasty = "a & b | !c :* ( ) \" - ~ ^ AND OR NEAR 'x'; DROP TABLE x; -- \x00 2025"
    for term in a.terms(nasty):
        assert term.isalnum(), term
    assert "2025" in a.terms(nasty)


def test_fold_removes_marks_only():
    assert fold("Žďár élève Ελληνικά façade Łódź ħ") == "Zdar eleve Ελληνικα facade Lodz h"


def test_every_eu_language_has_a_stop_word_list():
    from django.conf import settings

    from search.analysis import stop_words

    for code, _name in settings.LANGUAGES:
        assert len(stop_words(code)) >= 40, code
