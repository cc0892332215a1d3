"""Topic and tag pages list every kind of content, in the visitor's language."""

import pytest
from wagtail.models import Locale, Site

from home.languages.trees import synchronize_locale_trees
from home.models import Topic
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    TopicFactory,
)
from tests.utils import module_data

pytestmark = pytest.mark.django_db


@module_data
def tagged_topic():
    """A topic and tags on case studies and news, in the 24 language trees, built once for
    the module: the topic's primary key."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    topic = TopicFactory(name="Energy", slug="energy")
    de = topic.copy_for_translation(Locale.objects.get(language_code="de"))
    de.name = "Energie"
    de.save()
    studies = CaseStudyIndexPageFactory(parent=home)
    news = NewsIndexPageFactory(parent=home)
    CaseStudyPageFactory(parent=studies, title="Oslo lights", topics=[topic], tags=["led"])
    CaseStudyPageFactory(parent=studies, title="Ghent meals", tags=["school meals"])
    item = NewsPageFactory(parent=news, title="LED webinar recap", tags=["led"])
    item.topics.set([topic])
    item.save()
    synchronize_locale_trees()
    return topic.pk


@pytest.fixture
def tagged(tagged_topic):
    return Topic.objects.get(pk=tagged_topic)


def test_topic_page_lists_case_studies_and_news(client, tagged):
    body = client.get("/en/topics/energy/").content.decode()
    assert "<h1>Energy</h1>" in body
    assert "Oslo lights" in body and "LED webinar recap" in body
    assert "Ghent meals" not in body
    assert "2 pages" in body


def test_topic_page_in_another_language(client, tagged):
    response = client.get("/de/topics/energy/")
    body = response.content.decode()
    assert "<h1>Energie</h1>" in body
    # The German tree holds fallback pages of the English pages, marked as English text.
    assert 'href="/de/case-studies/oslo-lights/"' in body
    assert 'lang="en"' in body


def test_tag_page_spans_content_types(client, tagged):
    body = client.get("/en/tags/led/").content.decode()
    assert "Oslo lights" in body and "LED webinar recap" in body
    assert "Ghent meals" not in body


def test_topic_index_lists_topics(client, tagged):
    body = client.get("/de/topics/").content.decode()
    assert 'href="/de/topics/energy/">Energie</a>' in body


@pytest.mark.parametrize("path", ["/en/topics/nope/", "/en/tags/nope/", "/en/topics/%00/"])
def test_unknown_topic_or_tag_is_404(client, tagged, path):
    assert client.get(path).status_code == 404


def test_bad_page_number_on_tag_page(client, tagged):
    assert client.get("/en/tags/led/", {"page": "zz"}).status_code == 200


def test_api_filters_pages_by_locale_and_type(client, tagged):
    response = client.get(
        "/api/v2/pages/",
        {"type": "casestudies.CaseStudyPage", "locale": "de", "fields": "country,year,topic_slugs"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 2
    items = {item["title"]: item for item in data["items"]}
    assert items["Oslo lights"]["meta"]["locale"] == "de"
    assert items["Oslo lights"]["topic_slugs"] == ["energy"]
    assert items["Oslo lights"]["country"] == "BE"
    assert client.get("/api/v2/images/").status_code == 200
    assert client.get("/api/v2/documents/").status_code == 200
