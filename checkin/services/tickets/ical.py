"""iCalendar (RFC 5545) feeds of sessions, so residents can put activities in their phone's
calendar and see changes and cancellations there."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration

from checkin.models import Activity, Occurrence
from checkin.vocabulary import SessionStatus

PRODID = "-//Bysekretariatet Randers Nordby//Nordby Check-in//EN"
# Calendar apps that honour it re-read a subscribed feed this often.
REFRESH_INTERVAL = timedelta(hours=12)


def session_uid(session: Occurrence, host: str) -> str:
    """Stable per session, so a re-read feed updates events instead of duplicating them."""
    return f"session-{session.id}@{host}"


def build_calendar(
    sessions: Iterable[Occurrence],
    *,
    locale: str,
    host: str,
    activity_url: Callable[[Activity], str],
    generated_at: datetime,
    name: str,
) -> bytes:
    """A VCALENDAR with one VEVENT per session: times in UTC, the activity's name in
    ``locale``, its place, a link to its page, and cancelled sessions as STATUS:CANCELLED
    (so subscribed calendars show the cancellation rather than silently keeping the event)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    stamp = generated_at.astimezone(UTC)
    for session in sessions:
        activity = session.activity
        summary, description = activity.text_for(locale)
        url = activity_url(activity)
        event = Event()
        event.add("uid", session_uid(session, host))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(UTC))
        event.add("dtend", session.ends_at.astimezone(UTC))
        event.add("summary", summary)
        if session.where:
            event.add("location", session.where)
        event.add("url", url)
        event.add("description", "\n\n".join(filter(None, [description, url])))
        cancelled = session.status == SessionStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        # Clients only replace an event they already hold when its sequence grows.
        event.add("sequence", 1 if cancelled else 0)
        calendar.add_component(event)
    ics: bytes = calendar.to_ical()  # icalendar does not annotate it
    return ics
