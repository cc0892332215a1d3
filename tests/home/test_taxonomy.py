"""Taxonomy names in the visitor's language: the language's own, else the default's."""

import pytest
from django.utils import translation

from home.taxonomy import localized_names, taxonomy_names
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(home, locale_de):
    from wagtail.models import Locale

    energy = TopicFactory(name="Energy", slug="energy")
    german = energy.copy_for_translation(locale_de)
    german.name = "Energie"
    german.save()
    french = energy.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.name = "Énergie (brouillon)"
    french.live = False  # a translation not yet approved is not shown
    french.save()
    food = TopicFactory(name="Food and catering", slug="food")  # never translated
    index = CaseStudyIndexPageFactory(parent=home)
    return CaseStudyPageFactory(parent=index, topics=[food, energy])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", [("energy", "Energy"), ("food", "Food and catering")]),
        ("de", [("energy", "Energie"), ("food", "Food and catering")]),
        ("fr", [("energy", "Energy"), ("food", "Food and catering")]),
    ],
)
def test_names_of_a_pages_topics(study, language, expected, django_assert_num_queries):
    with translation.override(language):
        taxonomy_names("home.Topic")  # the per-process memos (locales, names), read once
        with django_assert_num_queries(1):
            assert localized_names("home.Topic", study.topics.all()) == expected
        # Topics held in memory (a page in preview) are named the same way.
        assert localized_names("home.Topic", list(study.topics.all())) == expected


def test_a_page_without_topics_has_no_names(home, django_assert_num_queries):
    taxonomy_names("home.Topic")
    index = CaseStudyIndexPageFactory(parent=home)
    page = CaseStudyPageFactory(parent=index, topics=[])
    with django_assert_num_queries(1):
        assert localized_names("home.Topic", page.topics.all()) == []


def test_a_saved_term_is_named_anew_at_once(study, locale_de, django_assert_num_queries):
    """Names are remembered per process; saving a term (as publishing does) forgets them."""
    from home.models import Topic

    with translation.override("de"):
        assert localized_names("home.Topic", study.topics.all())[0] == ("energy", "Energie")
        with django_assert_num_queries(0):
            assert taxonomy_names("home.Topic")["energy"] == "Energie"
        german = Topic.objects.get(slug="energy", locale=locale_de)
        german.name = "Energie und Klima"
        german.save()
        assert localized_names("home.Topic", study.topics.all())[0] == (
            "energy",
            "Energie und Klima",
        )
        german.delete()
        assert taxonomy_names("home.Topic")["energy"] == "Energy"
