"""Weekly series: a rule such as "Tuesdays 15-17 from date to date, skipping these dates" turned
into dated sessions.

Times are wall-clock times in Copenhagen. Each date is combined with the local start and end
time and only then converted to UTC, so a series crossing a daylight-saving change keeps its
15:00 start (its UTC hour moves instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from types import EllipsisType

from flask_babel import lazy_gettext as _l

from checkin.models import Activity, Occurrence, User
from checkin.services.audit import record_audit
from checkin.services.clock import LOCAL_TZ
from checkin.services.errors import DomainError
from checkin.services.planning.occurrences import create_session

MAX_SERIES_SESSIONS = 200  # about four years of weekly dates; more is almost surely a typo


def local_moment(day: date, at_time: time) -> datetime:
    """``at_time`` on ``day`` in Copenhagen (with that day's offset), expressed in UTC."""
    return datetime.combine(day, at_time, tzinfo=LOCAL_TZ).astimezone(UTC)


def weekly_dates(
    *,
    weekdays: Iterable[int],
    first_date: date,
    last_date: date,
    skip_dates: Iterable[date] = (),
    limit: int | None = None,
) -> list[date]:
    """Every date from ``first_date`` to ``last_date`` (both included) falling on one of
    ``weekdays`` (0 = Monday), except ``skip_dates``; with ``limit``, no more than one date
    past it (enough to tell that a rule makes too many), so a last date in the year 9999
    costs no more than a short series."""
    wanted, skipped = set(weekdays), set(skip_dates)
    days: list[date] = []
    for offset in range((last_date - first_date).days + 1):
        day = first_date + timedelta(days=offset)  # never past last_date: no overflow
        if day.weekday() in wanted and day not in skipped:
            days.append(day)
            if limit is not None and len(days) > limit:
                break
    return days


def create_weekly_series(
    activity: Activity,
    *,
    weekdays: Iterable[int],
    start_time: time,
    end_time: time,
    first_date: date,
    last_date: date,
    skip_dates: Iterable[date] = (),
    capacity: int | EllipsisType | None = ...,  # ...: the activity's default capacity
    place: str | None = None,
    at: datetime,
    by: User | None = None,
) -> list[Occurrence]:
    """Create one session per matching date. The rule needs at least one weekday, an end time
    after the start time (same day), a last date not before the first, and must produce at
    least one and at most ``MAX_SERIES_SESSIONS`` sessions. Capacity defaults to the
    activity's."""
    weekdays = sorted(set(weekdays))
    if not weekdays or any(not 0 <= day <= 6 for day in weekdays):
        raise DomainError("no_weekday", _l("Choose at least one weekday."), field="weekdays")
    if end_time <= start_time:
        raise DomainError("invalid_time", _l("The end must be after the start."), field="end_time")
    if last_date < first_date:
        raise DomainError(
            "invalid_period", _l("The last date is before the first."), field="last_date"
        )
    days = weekly_dates(
        weekdays=weekdays,
        first_date=first_date,
        last_date=last_date,
        skip_dates=skip_dates,
        limit=MAX_SERIES_SESSIONS,
    )
    if not days:
        raise DomainError("empty_series", _l("No dates match this rule."), field="first_date")
    if len(days) > MAX_SERIES_SESSIONS:
        raise DomainError(
            "series_too_long",
            _l("At most %(n)d dates in one series.", n=MAX_SERIES_SESSIONS),
            field="last_date",
        )
    sessions = [
        create_session(
            activity,
            starts_at=local_moment(day, start_time),
            ends_at=local_moment(day, end_time),
            capacity=capacity,
            place=place,
        )
        for day in days
    ]
    record_audit(
        "create_series",
        by=by,
        at=at,
        object_type="activity",
        object_id=activity.id,
        sessions=len(sessions),
        first=first_date.isoformat(),
        last=last_date.isoformat(),
    )
    return sessions
