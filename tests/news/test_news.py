"""News and events: listings, RSS and Atom feeds per language, iCalendar files."""

import datetime

import feedparser
import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text

from home.languages.trees import synchronize_locale_trees
from home.models import HomePage
from news.models import EventIndexPage, EventPage, NewsIndexPage, NewsPage
from tests.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    TopicFactory,
)
from tests.utils import class_data, edit_form_data


@class_data
def news_index_pk():
    """Three news items in the 24 language trees, made once for the class (its primary key)."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = NewsIndexPageFactory(parent=home)
    topic = TopicFactory(name="Energy", slug="energy")
    for n in range(3):
        page = NewsPageFactory(
            parent=index,
            title=f"Item {n}",
            slug=f"item-{n}",
            date=datetime.date(2026, 3, 1 + n),
            tags=["seminar"],
        )
        page.topics.set([topic])
        page.save()
    synchronize_locale_trees()
    return index.pk


@pytest.mark.django_db
class TestNewsListingAndFeeds:
    @pytest.fixture
    def news_index(self, news_index_pk):
        return NewsIndexPage.objects.get(pk=news_index_pk)

    def test_news_index_lists_newest_first_with_feed_links(self, client, news_index):
        body = client.get("/en/news/").content.decode()
        assert body.index("Item 2") < body.index("Item 1") < body.index("Item 0")
        assert '<link rel="alternate" type="application/rss+xml"' in body
        assert 'href="/en/news/feed/"' in body and 'href="/en/news/feed/atom/"' in body

    @pytest.mark.parametrize("language", ["en", "de", "pl"])
    @pytest.mark.parametrize("path", ["feed/", "feed/atom/"])
    def test_feeds_are_valid_and_in_their_language(self, client, news_index, language, path):
        response = client.get(f"/{language}/news/{path}")
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.language == language
        assert [e.title for e in feed.entries] == ["Item 2", "Item 1", "Item 0"]
        assert feed.entries[0].link == f"http://testserver/{language}/news/item-2/"
        assert feed.entries[0].published_parsed[:3] == (2026, 3, 3)
        assert [t.term for t in feed.entries[0].tags] == ["Energy"]

    def test_news_page_links_its_topics_and_tags(self, client, news_index):
        body = client.get("/en/news/item-1/").content.decode()
        assert 'href="/en/topics/energy/"' in body
        assert 'href="/en/tags/seminar/"' in body
        assert '<time datetime="2026-03-02">' in body


@pytest.fixture
def events(home):
    index = EventIndexPageFactory(parent=home)
    now = timezone.now().replace(microsecond=0)
    # 09:00 in Lisbon (UTC+0 in winter) next year: a fixed clock time to look for.
    start = datetime.datetime(now.year + 1, 1, 20, 9, 0, tzinfo=datetime.UTC)
    upcoming = EventPageFactory(
        parent=index,
        title="Seminar 2027",
        slug="seminar",
        event_type="seminar",
        online=False,
        venue="Lisbon City Hall",
        start=start,
        end=start + datetime.timedelta(hours=8),
        time_zone="Europe/Lisbon",
        registration_url="https://example.org/register",
    )
    past = EventPageFactory(
        parent=index,
        title="Webinar on heat pumps",
        slug="heat-pumps",
        start=now - datetime.timedelta(days=30),
        end=now - datetime.timedelta(days=30, hours=-1),
    )
    return {"index": index, "upcoming": upcoming, "past": past}


@pytest.mark.django_db
def test_event_index_separates_upcoming_and_past(client, events):
    body = client.get("/en/events/").content.decode()
    upcoming, past = body.split('id="past-heading"')
    assert "Seminar 2027" in upcoming and "Webinar on heat pumps" not in upcoming
    assert "Webinar on heat pumps" in past


@pytest.mark.django_db
def test_event_page_shows_time_in_its_zone_and_links_its_calendar_file(client, events):
    event = events["upcoming"]
    body = client.get(event.url).content.decode()
    # Shown in the event's own zone (the site's is Brussels, an hour ahead), as CLDR writes
    # a date and a time in English.
    year = event.start.year
    assert f"January 20, {year}, 9:00\u202fAM</time> – <time" in body
    assert "5:00\u202fPM</time>" in body
    assert "Europe/Lisbon" in body
    assert 'href="https://example.org/register"' in body
    assert f'href="{event.url}ical/"' in body


@pytest.mark.django_db
def test_past_event_offers_no_registration(client, events):
    events["past"].registration_url = "https://example.org/closed"
    events["past"].save()
    assert "example.org/closed" not in client.get(events["past"].url).content.decode()


@pytest.mark.django_db
def test_icalendar_file_is_valid_with_zone_and_times(client, events):
    event = events["upcoming"]
    response = client.get(f"{event.url}ical/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="seminar.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Seminar 2027"
    assert str(vevent["LOCATION"]) == "Lisbon City Hall"
    assert vevent.decoded("DTSTART") == event.start
    assert vevent.decoded("DTEND") == event.end
    assert vevent["DTSTART"].params["TZID"] == "Europe/Lisbon"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Lisbon"]
    assert str(vevent["URL"]) == f"http://testserver{event.url}"


@pytest.mark.django_db
def test_an_event_cannot_end_before_it_starts(events):
    from django.core.exceptions import ValidationError

    event = events["upcoming"]
    event.end = event.start - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end" in error.value.message_dict


class NewsPageTypeTests(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get(depth=2, locale__language_code="en")
        self.user = self.login()

    def test_where_news_and_events_go(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertCanNotCreateAt(NewsIndexPage, EventPage)

    def test_render_edit_preview(self):
        news_index = NewsIndexPageFactory(parent=self.home)
        event_index = EventIndexPageFactory(parent=self.home)
        pages = [
            news_index,
            NewsPageFactory(parent=news_index),
            event_index,
            EventPageFactory(parent=event_index),
        ]
        for page in pages:
            self.client.force_login(self.user)
            streams = {}
            if isinstance(page, NewsPage | EventPage):
                streams["body"] = [("paragraph", rich_text("<p>x</p>"))]
            data = edit_form_data(self.client, page, **streams)
            self.assertPageIsRenderable(page)
            self.assertPageIsEditable(page, post_data=data)
            self.assertPageIsPreviewable(page, post_data=data)
        self.assertPageIsRenderable(news_index, route_path="/feed/")
        self.assertPageIsRenderable(pages[3], route_path="/ical/")
