"""The calendar (home page) and its iCalendar feeds: the whole calendar and one activity."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from checkin.blueprints.public.blueprint import bp
from checkin.blueprints.public.filters import (
    TARGET_GROUP_CHOICES,
    CalendarFilters,
    age_words,
    target_group_words,
)
from checkin.models import Activity
from checkin.services import clock
from checkin.services.booking import find_activity
from checkin.services.planning import (
    group_by_day,
    list_activity_sessions,
    list_filter_choices,
    list_upcoming_sessions,
)
from checkin.services.tickets import build_calendar
from checkin.urls import public_base_url

# The feed looks further ahead than the page: a phone's calendar should know next month too.
FEED_DAYS = 90


def _ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed(sessions, *, name: str, filename: str) -> Response:
    base = public_base_url()
    body = build_calendar(
        sessions,
        locale=str(get_locale()),
        host=urlsplit(base).hostname or "localhost",
        activity_url=lambda activity: base + url_for("public.activity", slug=activity.slug),
        generated_at=clock.now(),
        name=name,
    )
    return _ics_response(body, filename)


@bp.route("/")
def home():
    choices = list_filter_choices()
    filters = CalendarFilters.from_args(request.args, choices)
    now = clock.now()
    today = clock.local(now).date()
    sessions = list_upcoming_sessions(
        at=now,
        target_group=filters.target_group,
        project_id=filters.project_id,
        area_id=filters.area_id,
    )
    return render_template(
        "public/home.html",
        days=group_by_day(sessions),
        today=today,
        tomorrow=today + timedelta(days=1),
        choices=choices,
        filters=filters,
        target_group_choices=TARGET_GROUP_CHOICES,
        target_group_words=target_group_words,
        age_words=age_words,
    )


@bp.route("/calendar.ics")
def calendar_feed():
    """The calendar as a feed, with the same filters as the page, in the request's language."""
    filters = CalendarFilters.from_args(request.args, list_filter_choices())
    sessions = list_upcoming_sessions(
        at=clock.now(),
        days=FEED_DAYS,
        target_group=filters.target_group,
        project_id=filters.project_id,
        area_id=filters.area_id,
        include_cancelled=True,
    )
    return _feed(sessions, name=_("Activities in Randers Nordby"), filename="nordby.ics")


@bp.route("/activities/<slug>.ics")
def activity_feed(slug: str):
    activity: Activity | None = find_activity(slug)
    if activity is None:
        abort(404)
    sessions = list_activity_sessions(activity, at=clock.now())
    name = activity.text_for(str(get_locale()))[0]
    return _feed(sessions, name=name, filename=f"{activity.slug}.ics")
