"""Each case study filter is declared once (casestudies/filters.py: FILTERS), and that one
declaration drives every surface: the listing's form, narrowing and counts, the exports'
columns and the values the search index filters by. Each test goes over every declared
filter, so a filter added to FILTERS is checked on every surface without a new test."""

import csv
import io
import re

import pytest

from casestudies.exports import COLUMNS
from casestudies.filters import FILTERS, link_of
from casestudies.models import CaseStudyPage
from search.facets import FACETS as SEARCH_FACETS

pytestmark = pytest.mark.django_db


def values_of(page):
    """{filter: values} of a case study as read back from the database."""
    page = CaseStudyPage.objects.prefetch_related("topics", "approaches", "tagged_items__tag").get(
        pk=page.pk
    )
    return {f.name: f.values(page) for f in FILTERS}


def titles(response):
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_relations_are_read_from_the_model():
    topics = link_of(CaseStudyPage, "topics")
    assert topics.table is CaseStudyPage.topics.through
    assert (topics.unique, topics.own_names) == (True, False)  # translatable, unique pairs
    tags = link_of(CaseStudyPage, "tags")
    assert tags.page.name == "content_object" and tags.term.name == "tag"
    assert (tags.unique, tags.own_names) == (False, True)
    assert link_of(CaseStudyPage, "country") is None


def test_the_values_are_the_case_studys_own(series):
    ghent = values_of(series[0])
    assert ghent == {
        "topic": ["food"],
        "approach": ["life-cycle-costing"],
        "country": ["BE"],
        "year": ["2021"],
        "tag": ["school-meals"],
    }
    assert values_of(series[4]) == {
        "topic": [],
        "approach": [],
        "country": ["IT"],
        "year": ["2018"],
        "tag": [],
    }


def test_the_api_lists_the_filters_values(client, series):
    response = client.get(
        "/api/v2/pages/",
        {"type": "casestudies.CaseStudyPage", "fields": "topic_slugs,approach_slugs,tag_slugs"},
    )
    assert response.status_code == 200
    listed = {item["id"]: item for item in response.json()["items"]}
    ghent = listed[series[0].pk]
    assert (ghent["topic_slugs"], ghent["approach_slugs"], ghent["tag_slugs"]) == (
        ["food"],
        ["life-cycle-costing"],
        ["school-meals"],
    )


def test_every_filter_narrows_the_listing_and_counts_its_values(client, index, series):
    page = client.get(index.url).content.decode()
    values = {p.title: values_of(p) for p in series}
    for f in FILTERS:
        assert f'name="{f.name}"' in page or f"?{f.name}=" in page, f.name
        for value in sorted({v for found in values.values() for v in found[f.name]}):
            expected = [title for title, found in values.items() if value in found[f.name]]
            response = client.get(index.url, {f.name: value})
            assert sorted(titles(response)) == sorted(expected), (f.name, value)
            # The count offered beside the value in the unfiltered form says as much.
            counts = response.context["facets"][f.name]
            assert {o.value: o.count for o in counts}[value] == len(expected), (f.name, value)


def test_every_filter_has_its_columns_in_the_exports(client, index, series):
    for f in FILTERS:
        assert set(f.export_columns) <= set(COLUMNS), f.name
    response = client.get(index.url, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["title"]: row for row in csv.DictReader(io.StringIO(text))}
    for page in series:
        row, values = rows[page.title], values_of(page)
        for f in FILTERS:
            exported = row[f.export].split("; ") if row[f.export] else []
            assert exported == values[f.name], (page.title, f.name)
            if f.export_names:
                names = row[f.export_names].split("; ") if row[f.export_names] else []
                assert len(names) == len(exported), (page.title, f.name)
    assert rows["Ghent meals"]["approach_names"] == "Life-cycle costing"
    assert rows["Ghent meals"]["topic_names"] == "Food and catering"


def test_the_search_index_filters_by_the_same_values(series):
    for page in series:
        page = CaseStudyPage.objects.get(pk=page.pk)
        assert page.indexed_content().filters == values_of(page), page.title


def test_search_and_listing_share_their_facets():
    search = {facet.name: facet for facet in SEARCH_FACETS}
    for f in FILTERS:
        if f.name in search:
            assert f.facet is search[f.name], f.name
