"""The search page's tag facets name each tag in the page's language (home.TagName), the
indexed value staying the tag's language-neutral slug."""

import re

import pytest
from taggit.models import Tag

from home.models import TagName

pytestmark = pytest.mark.django_db


def tag_labels(body):
    return re.findall(r'<label for="s-tag-\d+">([^<]*?) <span class="count">', body)


def test_german_search_names_the_tag_facets_in_german(client, collection):
    TagName.objects.create(tag=Tag.objects.get(slug="krakow"), language="de", name="Krakau")
    TagName.objects.create(tag=Tag.objects.get(slug="krakow"), language="fr", name="Cracovie")
    body = client.get("/de/search/", {"q": "Elektrobusse"}).content.decode()
    assert tag_labels(body) == ["Krakau"]
    assert 'name="tag" value="krakow"' in body  # the filter's value is the slug
    filtered = client.get("/de/search/", {"q": "Elektrobusse", "tag": "krakow"}).content.decode()
    assert 'href="/de/case-studies/krakow/"' in filtered and tag_labels(filtered) == ["Krakau"]
    english = client.get("/en/search/", {"q": "electric buses"}).content.decode()
    assert tag_labels(english) == ["krakow"]  # the tag's own name


def test_a_tag_without_a_name_in_the_language_shows_its_own(client, collection):
    Tag.objects.filter(slug="ghent").update(name="Ghent school meals")
    body = client.get("/de/search/", {"q": "Schulverpflegung"}).content.decode()
    assert "Ghent school meals" in tag_labels(body)
