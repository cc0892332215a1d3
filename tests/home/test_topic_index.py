"""The Topics page: each topic with its description and its number of case studies, in the
visitor's language, what is not translated marked with the language it is in."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Site

from casestudies.models import CaseStudyIndexPage
from home.languages.trees import synchronize_locale_trees
from home.models import Topic
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory, TopicFactory
from tests.utils import module_data

pytestmark = pytest.mark.django_db


def translate_topic(topic, language_code, **fields):
    version = topic.copy_for_translation(Locale.objects.get(language_code=language_code))
    for field, value in fields.items():
        setattr(version, field, value)
    version.save()
    return version


@module_data
def topic_site():
    """The case study index and the topics, with case studies in the 24 language trees: built
    once for the module (primary keys)."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CaseStudyIndexPageFactory(parent=home)
    energy = TopicFactory(name="Energy", slug="energy", description="Power, heating and lighting.")
    food = TopicFactory(name="Food", slug="food", description="Canteens and catering.")
    TopicFactory(name="Textiles", slug="textiles", description="")
    translate_topic(energy, "de", name="Energie", description="Strom, Wärme und Licht.")
    # Named in German, the description not yet translated.
    translate_topic(food, "de", name="Lebensmittel", description="")
    for n in range(3):
        CaseStudyPageFactory(parent=index, slug=f"energy-{n}", topics=[energy])
    CaseStudyPageFactory(parent=index, slug="both", topics=[energy, food])
    draft = CaseStudyPageFactory(parent=index, slug="draft", topics=[food])
    draft.unpublish()
    synchronize_locale_trees()
    return {"index": index.pk, "energy": energy.pk, "food": food.pk}


@pytest.fixture
def index(topic_site):
    return CaseStudyIndexPage.objects.get(pk=topic_site["index"])


@pytest.fixture
def topics(topic_site):
    return {name: Topic.objects.get(pk=topic_site[name]) for name in ("energy", "food")}


def item(body, slug):
    """The list item of the topic `slug` on the Topics page."""
    match = re.search(
        rf'<li class="topic-list__item">\s*<h2 class="topic-list__name"><a href="/\w+/topics/'
        rf'{slug}/"(.*?)</li>',
        body,
        re.S,
    )
    assert match, f"no topic {slug!r}"
    return match.group(1)


def test_each_topic_links_its_page_with_its_description_and_case_study_count(client, topics):
    body = client.get("/en/topics/").content.decode()
    energy = item(body, "energy")
    assert energy.startswith(">Energy</a></h2>")
    assert '<p class="topic-list__description">Power, heating and lighting.</p>' in energy
    assert "4 case studies" in energy
    # An unpublished case study is not counted.
    assert "1 case study<" in item(body, "food")
    textiles = item(body, "textiles")
    assert "0 case studies" in textiles and "topic-list__description" not in textiles
    assert "lang=" not in body.split("<main", 1)[1].split("</main>", 1)[0]


def test_in_german_translated_topics_are_in_german_and_the_rest_marked_english(client, topics):
    body = client.get("/de/topics/").content.decode()
    energy = item(body, "energy")
    assert energy.startswith(">Energie</a></h2>") and 'lang="en"' not in energy
    assert ">Strom, Wärme und Licht.</p>" in energy
    # The German fallback pages of the English case studies are counted in German.
    assert "4 Fallstudien" in energy
    food = item(body, "food")
    assert food.startswith(">Lebensmittel</a></h2>")
    assert '<p class="topic-list__description" lang="en">Canteens and catering.</p>' in food
    assert "1 Fallstudie<" in food
    # A topic not translated at all: its name in English, marked so.
    assert '<a href="/de/topics/textiles/" lang="en">Textiles</a>' in body


def test_topics_sorted_by_their_name_in_the_visitors_language(client, topics):
    body = client.get("/de/topics/").content.decode()
    names = re.findall(r'class="topic-list__name"><a [^>]*>([^<]+)</a>', body)
    assert names == ["Energie", "Lebensmittel", "Textiles"]


def count_queries(client, url):
    client.get(url)  # per-process memos, as on a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode().count('class="topic-list__item"')


def test_query_count_does_not_grow_with_topics_or_case_studies(client, index, topics):
    small = {url: count_queries(client, url) for url in ("/en/topics/", "/de/topics/")}
    # Two more topics, one with two case studies: a query per topic or per case study shows.
    for n in range(2):
        topic = TopicFactory(name=f"Extra {n}", slug=f"extra-{n}", description=f"About {n}.")
        translate_topic(topic, "de", name=f"Mehr {n}", description=f"Über {n}.")
        for m in range(n + 1):
            CaseStudyPageFactory(parent=index, slug=f"extra-{n}-{m}", topics=[topic])
    synchronize_locale_trees()
    large = {url: count_queries(client, url) for url in small}
    for url in small:
        assert large[url][1] == small[url][1] + 2, url
        assert large[url][0] <= small[url][0], (url, small[url][0], large[url][0])
