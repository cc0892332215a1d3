"""Tag names in the visitor's language in the open data: the pages API (`tag_names`, beside
`tag_slugs`) and the case study exports (`tag_names`, beside the keys in `tags`)."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import Site

from casestudies.models import CaseStudyIndexPage
from home.languages.trees import synchronize_locale_trees
from home.models import TagName
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)
from tests.utils import module_data

pytestmark = pytest.mark.django_db


def name(slug, language, text):
    return TagName.objects.create(tag=Tag.objects.get(slug=slug), language=language, name=text)


@module_data
def index_pk():
    """A case study and a news item, tagged, in the 24 language trees: made once for the
    module (the index's primary key)."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CaseStudyIndexPageFactory(parent=home, slug="case-studies")
    CaseStudyPageFactory(
        parent=index, title="Oslo lights", slug="oslo", tags=["LED lighting", "heat pumps"]
    )
    news = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=news, title="LED webinar", tags=["LED lighting"])
    name("led-lighting", "de", "LED-Beleuchtung")
    name("led-lighting", "fr", "Éclairage LED")
    synchronize_locale_trees()
    return index.pk


@pytest.fixture
def index(index_pk):
    return CaseStudyIndexPage.objects.get(pk=index_pk)


def api_items(client, **params):
    response = client.get("/api/v2/pages/", {"fields": "tag_slugs,tag_names", **params})
    assert response.status_code == 200, response.content
    return {item["title"]: item for item in response.json()["items"]}


def pairs(item):
    return sorted(zip(item["tag_slugs"], item["tag_names"], strict=True))


def test_the_api_names_the_tags_in_the_pages_language(client, index):
    german = api_items(client, type="casestudies.CaseStudyPage", locale="de")["Oslo lights"]
    assert pairs(german) == [("heat-pumps", "heat pumps"), ("led-lighting", "LED-Beleuchtung")]
    english = api_items(client, type="casestudies.CaseStudyPage", locale="en")["Oslo lights"]
    assert pairs(english) == [("heat-pumps", "heat pumps"), ("led-lighting", "LED lighting")]
    french = api_items(client, type="news.NewsPage", locale="fr")["LED webinar"]
    assert french["tag_names"] == ["Éclairage LED"]


def test_the_api_detail_names_the_tags_too(client, index):
    item = api_items(client, type="casestudies.CaseStudyPage", locale="de")["Oslo lights"]
    detail = client.get(f"/api/v2/pages/{item['id']}/").json()
    assert sorted(detail["tag_names"]) == ["LED-Beleuchtung", "heat pumps"]


def test_the_tags_cost_no_query_per_page(client, index):
    """What `tag_slugs` and `tag_names` add to a listing does not grow with its pages."""

    def queries(fields):
        params = {"type": "casestudies.CaseStudyPage", "locale": "de", "fields": fields}
        client.get("/api/v2/pages/", params)  # the names of the language, remembered
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v2/pages/", params).status_code == 200
        return len(captured)

    def cost_of_tags():
        return queries("tag_slugs,tag_names") - queries("title")

    few = cost_of_tags()
    for n in range(3):
        CaseStudyPageFactory(parent=index, slug=f"more-{n}", tags=["LED lighting", f"t{n}"])
        name(f"t{n}", "de", f"Schlagwort {n}")
    synchronize_locale_trees()
    assert len(api_items(client, type="casestudies.CaseStudyPage", locale="de")) == 4
    assert cost_of_tags() <= few


def export(client, url, kind):
    response = client.get(url, {"format": kind})
    assert response.status_code == 200
    if kind == "json":
        return json.loads(response.content)["results"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_exports_keep_the_keys_and_add_the_names_in_the_visitors_language(client, index):
    (row,) = export(client, "/de/case-studies/", "json")
    assert sorted(zip(row["tags"], row["tag_names"], strict=True)) == [
        ("heat-pumps", "heat pumps"),
        ("led-lighting", "LED-Beleuchtung"),
    ]
    (row,) = export(client, "/de/case-studies/", "csv")
    tags, names = row["tags"].split("; "), row["tag_names"].split("; ")
    assert sorted(zip(tags, names, strict=True)) == [
        ("heat-pumps", "heat pumps"),
        ("led-lighting", "LED-Beleuchtung"),
    ]
    (row,) = export(client, "/en/case-studies/", "csv")
    assert sorted(row["tag_names"].split("; ")) == ["LED lighting", "heat pumps"]
    assert list(row)[list(row).index("tags") + 1] == "tag_names"
