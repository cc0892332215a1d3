"""Each language's subscribable calendar of events: /<lang>/events/ical/."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Page, PageViewRestriction, Site

from home import cache
from home.languages.trees import synchronize_locale_trees
from home.memo import Memo
from tests.factories import EventIndexPageFactory, EventPageFactory
from tests.utils import module_data, translate_page

pytestmark = pytest.mark.django_db

CALENDAR_NAMES = {
    "en": "Procura+ Network events",
    "de": "Veranstaltungen des Procura+ Netzwerks",
    "fr": "Événements du réseau Procura+",
    "bg": "Събития на мрежата Procura+",
}


def calendar_of(client, language):
    response = client.get(f"/{language}/events/ical/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def summaries(calendar):
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


@module_data
def event_pages():
    """Events in every state a calendar must sort out, in the 24 language trees, built once
    for the module: their primary keys."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = EventIndexPageFactory(parent=home)
    now = timezone.now().replace(microsecond=0)
    start = datetime.datetime(now.year + 1, 1, 20, 9, 0, tzinfo=datetime.UTC)

    def event(title, slug, start, **fields):
        return EventPageFactory(
            parent=index,
            title=title,
            slug=slug,
            start=start,
            end=start + datetime.timedelta(hours=2),
            **fields,
        )

    made = {
        "seminar": event(
            "Seminar", "seminar", start, time_zone="Europe/Lisbon", online=False, venue="Lisbon"
        ),
        "webinar": event("Webinar", "webinar", now + datetime.timedelta(days=3)),
        "recent": event("Recent webinar", "recent", now - datetime.timedelta(days=10)),
        "old": event("Old webinar", "old", now - datetime.timedelta(days=60)),
        "draft": event("Draft webinar", "draft", now + datetime.timedelta(days=5), live=False),
        "private": event("Private meeting", "private", now + datetime.timedelta(days=6)),
        "scheduled": event(
            "Scheduled webinar", "scheduled", now + datetime.timedelta(days=7), live=False
        ),
        "expired": event("Expired webinar", "expired", now + datetime.timedelta(days=8)),
    }
    PageViewRestriction.objects.create(
        page=made["private"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    synchronize_locale_trees()
    # Scheduled to go live tomorrow (Wagtail marks its fallback pages live at once).
    scheduled = Page.objects.get(pk=made["scheduled"].pk).specific
    scheduled.go_live_at = now + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    # Expired a minute ago, the worker that unpublishes it not yet run.
    expired = Page.objects.get(pk=made["expired"].pk).specific
    expired.expire_at = now - datetime.timedelta(minutes=1)
    expired.save_revision().publish()
    made["index"] = index
    return {key: page.pk for key, page in made.items()}


@pytest.fixture
def events(event_pages):
    """The module's events, fresh from the database for each test."""
    return {key: Page.objects.get(pk=pk).specific for key, pk in event_pages.items()}


VISIBLE = ["Recent webinar", "Webinar", "Seminar"]


@pytest.mark.parametrize("language", ["en", "de", "fr", "bg"])
def test_each_language_has_a_calendar_of_its_visible_events(client, events, language):
    response, calendar = calendar_of(client, language)
    assert str(calendar["X-WR-CALNAME"]) == CALENDAR_NAMES[language]
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    # Calendar programs are told to fetch it again every six hours.
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in response.content
    assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in response.content
    # Upcoming and those of the last 30 days, soonest first; nothing hidden.
    assert summaries(calendar) == VISIBLE
    urls = [str(event["URL"]) for event in calendar.walk("VEVENT")]
    assert urls == [
        f"http://testserver/{language}/events/{slug}/" for slug in ("recent", "webinar", "seminar")
    ]
    assert 'filename="events-' + language + '.ics"' in response["Content-Disposition"]


def test_events_keep_one_uid_in_every_language_and_in_their_own_file(client, events):
    uids = {}
    for language in ("en", "de", "sv"):
        _response, calendar = calendar_of(client, language)
        uids[language] = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert uids["en"] == uids["de"] == uids["sv"]
    seminar = events["seminar"]
    assert uids["en"][-1] == f"{seminar.translation_key}@procuraplus"
    own = Calendar.from_ical(client.get("/de/events/seminar/ical/").content)
    assert [str(event["UID"]) for event in own.walk("VEVENT")] == [uids["en"][-1]]


def test_times_carry_the_zone_of_the_event(client, events):
    _response, calendar = calendar_of(client, "de")
    seminar = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Seminar")
    assert seminar["DTSTART"].params["TZID"] == "Europe/Lisbon"
    assert seminar.decoded("DTSTART") == events["seminar"].start
    assert seminar.decoded("DTEND") == events["seminar"].end
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/Lisbon", "Europe/Brussels"}


def test_a_translation_shows_in_its_languages_calendar_only(client, events):
    translate_page(events["seminar"], "de", title="Seminar (Deutsch)")
    _response, german = calendar_of(client, "de")
    _response, english = calendar_of(client, "en")
    _response, french = calendar_of(client, "fr")
    assert summaries(german) == ["Recent webinar", "Webinar", "Seminar (Deutsch)"]
    assert summaries(english) == VISIBLE
    # The French calendar shows the original's text, and says in which language.
    (seminar,) = [e for e in french.walk("VEVENT") if str(e["SUMMARY"]) == "Seminar"]
    assert seminar["SUMMARY"].params["LANGUAGE"] == "en"


def test_an_unpublished_event_leaves_every_calendar(client, events):
    Page.objects.get(pk=events["webinar"].pk).specific.unpublish()
    for language in ("en", "de"):
        _response, calendar = calendar_of(client, language)
        assert "Webinar" not in summaries(calendar)


def test_the_calendar_is_cached_and_purged_with_the_events(client, events):
    response, _calendar = calendar_of(client, "de")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=86400"
    # Publishing any event bans `type:news.eventpage` (home/cache.py).
    assert "type:news.eventpage" in response[cache.TAGS_HEADER].split()
    again = client.get("/de/events/ical/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_events_page_offers_the_calendar(client, events):
    for language in ("en", "de"):
        body = client.get(f"/{language}/events/").content.decode()
        assert (
            f'<link rel="alternate" type="text/calendar" title="{CALENDAR_NAMES[language]}" '
            f'href="/{language}/events/ical/">'
        ) in body
        assert f'<a href="/{language}/events/ical/" type="text/calendar">' in body
    assert "Subscribe (iCal)" in client.get("/en/events/").content.decode()
    assert "Abonnieren (iCal)" in client.get("/de/events/").content.decode()


def count_queries(client, url):
    from django.core.cache import cache as django_cache

    # Cold: nothing remembered by the process (page addresses, locales, sites).
    django_cache.clear()
    for memo in Memo.every:
        memo.forget_here()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_events(client, events):
    few = count_queries(client, "/de/events/ical/")
    start = timezone.now() + datetime.timedelta(days=40)
    for n in range(4):
        EventPageFactory(parent=events["index"], title=f"More {n}", slug=f"more-{n}", start=start)
    synchronize_locale_trees()
    _response, calendar = calendar_of(client, "de")
    assert len(summaries(calendar)) == len(VISIBLE) + 4
    many = count_queries(client, "/de/events/ical/")
    assert few == many, f"{few} queries for 3 events, {many} for 7"
