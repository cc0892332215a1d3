"""Listings answer in a number of queries that does not depend on how many items they show,
and survive any query string."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale
from wagtail_localize.synctree import synchronize_tree

from search.indexing import rebuild
from tests.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # per-process caches, as on a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def listings(home):
    return {
        "news": NewsIndexPageFactory(parent=home),
        "events": EventIndexPageFactory(parent=home),
        "topic": TopicFactory(name="Energy", slug="energy"),
    }


def add_items(listings, start, count):
    now = timezone.now()
    for n in range(start, start + count):
        item = NewsPageFactory(
            parent=listings["news"],
            slug=f"news-{n}",
            title=f"Energy news {n}",
            tags=["energy-news"],
        )
        item.topics.set([listings["topic"]])
        item.save()
        when = now + datetime.timedelta(days=(n % 2) * 60 - 30, hours=n)
        EventPageFactory(
            parent=listings["events"],
            slug=f"event-{n}",
            title=f"Energy event {n}",
            start=when,
            end=when + datetime.timedelta(hours=1),
        )


URLS = [
    "/en/news/",
    "/en/events/",
    "/en/topics/energy/",
    "/en/tags/energy-news/",
    "/en/search/?q=energy",
    "/de/news/",
    "/en/news/feed/",
    "/en/",
]


def synchronize_german():
    """The German tree only: the one language besides English that the listings here show."""
    synchronize_tree(Locale.get_default(), Locale.objects.get(language_code="de"))


def test_query_counts_do_not_grow_with_the_items_shown(client, listings):
    # From fewer items than any listing's page holds to more than a page of each.
    add_items(listings, 0, 3)
    synchronize_german()
    rebuild()
    small = {url: queries(client, url) for url in URLS}
    add_items(listings, 3, 22)
    synchronize_german()
    rebuild()
    large = {url: queries(client, url) for url in URLS}
    assert small == large


@pytest.mark.parametrize(
    "url",
    [
        "/en/news/",
        "/en/events/",
        "/en/topics/energy/",
        "/en/tags/energy-news/",
        "/en/search/?q=energy",
    ],
)
@pytest.mark.parametrize("page", ["abc", "0", "-3", "999999", "1.5", "%00", "9" * 40])
def test_bad_page_numbers(client, listings, url, page):
    add_items(listings, 0, 2)
    separator = "&" if "?" in url else "?"
    assert client.get(f"{url}{separator}page={page}").status_code == 200
