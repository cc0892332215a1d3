"""An iCalendar (RFC 5545) file for an event, for visitors' calendars."""

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vText


def event_calendar(event, request):
    calendar = Calendar()
    calendar.add("prodid", "-//Procura+ Network//procuraplus//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")

    item = Event()
    url = request.build_absolute_uri(event.get_url(request))
    item.add("uid", f"{event.translation_key}@procuraplus")
    item.add("dtstamp", timezone.now())
    # Times in the event's own zone, with its TZID, so calendars convert them correctly.
    item.add("dtstart", event.local_start)
    item.add("dtend", event.local_end)
    item.add("summary", event.title)
    if event.summary:
        item.add("description", f"{event.summary}\n\n{url}")
    else:
        item.add("description", url)
    item.add("url", url)
    location = event.venue or ("Online" if event.online else "")
    if location:
        item["location"] = vText(location)
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar


def event_ical_response(event, request):
    response = HttpResponse(
        event_calendar(event, request).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
