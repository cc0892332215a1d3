"""iCalendar (RFC 5545): one event's file, and each language's subscribable calendar of events."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration, vText

from home.languages.i18n import with_content_language
from home.routing import page_url

# How far back the subscribable calendar reaches: events that have just taken place stay in
# subscribers' calendars for a while.
RECENT_DAYS = 30
# How often calendar programs are asked to fetch the subscribed calendar again.
REFRESH = datetime.timedelta(hours=6)


def _calendar():
    calendar = Calendar()
    calendar.add("prodid", "-//Procura+ Network//procuraplus//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def event_component(event, request):
    """The VEVENT of an event. Its UID is the same in every language and in the event's own
    file (its translation key), so a calendar holds an event once however it got there."""
    item = Event()
    url = request.build_absolute_uri(page_url(event, request))
    item.add("uid", f"{event.translation_key}@procuraplus")
    # When this version of the event was published: the same bytes until it changes again.
    item.add("dtstamp", event.last_published_at or timezone.now())
    # Times in the event's own zone, with its TZID, so calendars convert them correctly.
    item.add("dtstart", event.local_start)
    item.add("dtend", event.local_end)
    language = getattr(event, "content_language", None)
    item.add("summary", event.title, parameters={"LANGUAGE": language} if language else None)
    if event.summary:
        item.add("description", f"{event.summary}\n\n{url}")
    else:
        item.add("description", url)
    item.add("url", url)
    location = event.venue or (_("Online") if event.online else "")
    if location:
        item["location"] = vText(location)
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    return item


def event_calendar(event, request):
    calendar = _calendar()
    calendar.add_component(event_component(event, request))
    calendar.add_missing_timezones()
    return calendar


def event_ical_response(event, request):
    response = HttpResponse(
        event_calendar(event, request).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def calendar_events(index_page):
    """The events of an events index's language that its calendar lists: those visible now
    (home/visibility.py, through `EventIndexPage.events`) that end in the future or ended in
    the last RECENT_DAYS, soonest first."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    return index_page.events().filter(start__isnull=False, end__gte=since).order_by("start", "pk")


def events_calendar(index_page, events, request):
    """The subscribable calendar of an events index: its events, named in the language."""
    calendar = _calendar()
    calendar.add("x-wr-calname", _("Procura+ Network events"))
    if index_page.summary or getattr(index_page, "intro", ""):
        calendar.add("x-wr-caldesc", index_page.summary or index_page.intro)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for event in events:
        calendar.add_component(event_component(event, request))
    calendar.add_missing_timezones()
    return calendar


def events_ical_response(index_page, request):
    events = with_content_language(calendar_events(index_page))
    response = HttpResponse(
        events_calendar(index_page, events, request).to_ical(),
        content_type="text/calendar; charset=utf-8",
    )
    language = index_page.locale.language_code
    response["Content-Disposition"] = f'inline; filename="events-{language}.ics"'
    return response
