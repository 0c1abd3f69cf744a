"""The residents' calendar (home page), its filters and its iCalendar feeds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from checkin.extensions import db
from checkin.models import ActivityTranslation
from checkin.services.planning import group_by_day, list_upcoming_sessions
from tests.factories import make_activity, make_area, make_booking, make_project, make_session

# The frozen clock is Tuesday 24 November 2026, 14:00 in Copenhagen (13:00 UTC).
WEDNESDAY_2330_LOCAL = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)
THURSDAY_0900_LOCAL = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _sections(html: str) -> list[str]:
    """The page's day sections, in order."""
    return html.split('<section class="day"')[1:]


def _page(client, query: str = "") -> str:
    response = client.get(f"/?lang=en{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _feed(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_sessions_are_grouped_by_day_in_copenhagen_time(client, app, frozen_clock):
    late = make_activity(name="Late talk", default_capacity=10)
    late_session = make_session(late, starts_at=WEDNESDAY_2330_LOCAL, hours=1)
    morning = make_activity(name="Morning walk", default_capacity=10)
    make_session(morning, starts_at=THURSDAY_0900_LOCAL)
    today = make_activity(name="Afternoon club", default_capacity=10)
    make_session(today, starts_in=timedelta(hours=2))
    db.session.commit()

    days = group_by_day(list_upcoming_sessions(at=frozen_clock.at))
    assert [(day.isoformat(), [s.activity.name for s in items]) for day, items in days] == [
        ("2026-11-24", ["Afternoon club"]),
        ("2026-11-25", ["Late talk"]),  # 22:30 UTC is still Wednesday evening in Copenhagen
        ("2026-11-26", ["Morning walk"]),
    ]

    sections = _sections(_page(client))
    assert len(sections) == 3
    assert "Today: Tuesday, November 24, 2026" in sections[0]
    assert "Tomorrow: Wednesday, November 25, 2026" in sections[1]
    assert "Late talk" in sections[1]
    assert "11:30\u202fPM" in sections[1]  # shown in local time
    assert f'datetime="{late_session.starts_at.isoformat()}"' in sections[1]
    assert "Thursday, November 26, 2026" in sections[2]
    assert "9:00\u202fAM" in sections[2]


def test_danish_day_headings_and_times(client, app, frozen_clock):
    make_session(make_activity(name="Late talk"), starts_at=WEDNESDAY_2330_LOCAL, hours=1)
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Onsdag den 25. november 2026" in html
    assert "23.30" in html


def test_cards_say_seats_target_group_age_and_place_in_words(client, app, frozen_clock):
    project = make_project()
    homework = make_activity(
        project,
        "Homework café",
        target_group="children",
        min_age=6,
        max_age=12,
        place="Nordbyhuset",
        default_capacity=6,
    )
    session = make_session(homework, starts_in=timedelta(days=1))
    make_booking(session)
    last_seat = make_activity(project, "Trip to the zoo", target_group="families", min_age=4)
    make_session(last_seat, starts_in=timedelta(days=2), capacity=1)
    full = make_activity(project, "Sewing", target_group="adults", max_age=99)
    full_session = make_session(full, starts_in=timedelta(days=3), capacity=2, place="Room 2")
    full_session.seats_taken = 2
    open_cafe = make_activity(project, "Job café", signup_required=False)
    make_session(open_cafe, starts_in=timedelta(days=4), capacity=None)
    unlimited = make_activity(project, "Community dinner", target_group="seniors")
    make_session(unlimited, starts_in=timedelta(days=5), capacity=None)
    db.session.commit()

    sections = _sections(_page(client))
    assert [
        name in section
        for name, section in zip(
            ["Homework café", "Trip to the zoo", "Sewing", "Job café", "Community dinner"],
            sections,
            strict=True,
        )
    ] == [True] * 5
    homework_card, trip_card, sewing_card, cafe_card, dinner_card = sections
    assert f'href="/activities/{homework.slug}"' in homework_card
    assert "For children · Age 6 to 12" in homework_card
    assert "Nordbyhuset" in homework_card
    assert "5 seats left" in homework_card
    assert "For families · Age 4 and up" in trip_card
    assert "1 seat left" in trip_card
    assert "For adults · Up to age 99" in sewing_card
    assert "Room 2" in sewing_card
    assert "Full: join the waiting list" in sewing_card
    assert "For everyone" in cafe_card
    assert "Open, no sign-up needed" in cafe_card
    assert "For seniors" in dinner_card
    assert "Sign-up, free seats" in dinner_card


def test_cancelled_past_far_and_inactive_sessions_are_not_listed(client, app, frozen_clock):
    shown = make_activity(name="Shown")
    make_session(shown, starts_in=timedelta(days=1))
    cancelled = make_session(make_activity(name="Cancelled one"), starts_in=timedelta(days=1))
    cancelled.status = "cancelled"
    make_session(make_activity(name="Yesterday's"), starts_in=timedelta(days=-1))
    make_session(make_activity(name="Far ahead"), starts_in=timedelta(days=40))
    hidden = make_activity(name="Retired")
    hidden.active = False
    make_session(hidden, starts_in=timedelta(days=1))
    running = make_activity(name="Running now")
    make_session(running, starts_in=timedelta(hours=-1), hours=2)  # not ended: still listed
    db.session.commit()

    html = _page(client)
    assert "Shown" in html
    assert "Running now" in html
    for name in ("Cancelled one", "Yesterday&#39;s", "Far ahead", "Retired"):
        assert name not in html


def test_empty_calendar_says_so(client, app, frozen_clock):
    assert "There are no activities in the coming weeks." in _page(client)


@pytest.fixture
def offer(app, frozen_clock):
    """Activities in two projects and two areas, for different target groups."""
    youth_project, adult_project = make_project("Youth work"), make_project("Jobs")
    north, south = make_area("Vangdalen"), make_area("Energivej")
    activities = {
        "Homework café": make_activity(
            youth_project, "Homework café", target_group="children", area=north
        ),
        "Girls' football": make_activity(
            youth_project, "Girls football", target_group="youth", area=south
        ),
        "Job counselling": make_activity(
            adult_project, "Job counselling", target_group="adults", area=north
        ),
        "Summer party": make_activity(adult_project, "Summer party", target_group="everyone"),
    }
    for n, activity in enumerate(activities.values(), start=1):
        make_session(activity, starts_in=timedelta(days=n))
    db.session.commit()
    return {
        "projects": (youth_project.id, adult_project.id),
        "areas": (north.id, south.id),
    }


def _listed(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/activities/[^"]+">([^<]+)</a></h3>', html)


def test_filter_by_target_group_includes_activities_for_everyone(client, offer):
    html = _page(client, "&target_group=children")
    assert _listed(html) == ["Homework café", "Summer party"]
    assert '<option value="children" selected>' in html
    assert '<details class="filters" open>' in html


def test_filter_by_project(client, offer):
    youth, adults = offer["projects"]
    assert _listed(_page(client, f"&project={youth}")) == ["Homework café", "Girls football"]
    assert _listed(_page(client, f"&project={adults}")) == ["Job counselling", "Summer party"]


def test_filter_by_area(client, offer):
    north, south = offer["areas"]
    assert _listed(_page(client, f"&area={north}")) == ["Homework café", "Job counselling"]
    html = _page(client, f"&area={south}&target_group=youth")
    assert _listed(html) == ["Girls football"]
    assert f'<option value="{south}" selected>' in html


def test_filters_combine_and_say_when_nothing_matches(client, offer):
    north, _south = offer["areas"]
    html = _page(client, f"&area={north}&target_group=seniors")
    assert _listed(html) == []
    assert "No activities match your choice in the coming weeks." in html
    assert 'href="/">Show all activities</a>' in html


def test_unknown_filter_values_are_ignored(client, offer):
    html = _page(client, "&target_group=aliens&project=999&area=x")
    assert len(_listed(html)) == 4
    assert '<details class="filters">' in html


def test_filter_form_works_without_javascript(client, offer):
    html = _page(client)
    form = html[html.index("<form") : html.index("</form>")]
    assert 'method="get"' in form
    assert 'action="/"' in form
    for name, field_id in (
        ("target_group", "filter-target-group"),
        ("project", "filter-project"),
        ("area", "filter-area"),
    ):
        assert f'<label for="{field_id}">' in form
        assert f'<select id="{field_id}" name="{name}">' in form
    assert 'type="submit"' in form
    assert '<input type="hidden" name="lang" value="en">' in form  # keeps an explicit language
    assert "<script" not in html


def test_feed_link_keeps_language_and_filters(client, offer):
    north, _south = offer["areas"]
    html = _page(client, f"&area={north}&target_group=children")
    link = re.search(r'<p class="feed"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert link.startswith("/calendar.ics?")
    assert set(link.split("?", 1)[1].split("&")) == {
        "lang=en",
        "target_group=children",
        f"area={north}",
    }
    assert "Add the calendar to your phone" in html
    calendar = _feed(client, link)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Homework café"]


def test_calendar_feed_has_every_session_in_utc_with_stable_uids(client, app, frozen_clock):
    homework = make_activity(name="Lektiecafé", place="Nordbyhuset")
    db.session.add(ActivityTranslation(activity=homework, locale="en", name="Homework café"))
    late = make_session(homework, starts_at=WEDNESDAY_2330_LOCAL, hours=1)
    moved = make_session(homework, starts_at=THURSDAY_0900_LOCAL, place="Library")
    cancelled = make_session(homework, starts_in=timedelta(days=3))
    cancelled.status = "cancelled"
    make_session(homework, starts_in=timedelta(days=-2))  # past: not in the feed
    db.session.commit()

    calendar = _feed(client, "/calendar.ics?lang=en")
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == "Activities in Randers Nordby"
    events = _events(calendar)
    assert set(events) == {f"session-{s.id}@localhost" for s in (late, moved, cancelled)}

    event = events[f"session-{late.id}@localhost"]
    assert event.decoded("dtstart") == WEDNESDAY_2330_LOCAL
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert event.decoded("dtend") == WEDNESDAY_2330_LOCAL + timedelta(hours=1)
    assert str(event["summary"]) == "Homework café"
    assert str(event["location"]) == "Nordbyhuset"
    assert str(event["url"]) == f"http://localhost/activities/{homework.slug}"
    assert str(event["status"]) == "CONFIRMED"
    assert str(events[f"session-{moved.id}@localhost"]["location"]) == "Library"
    assert str(events[f"session-{cancelled.id}@localhost"]["status"]) == "CANCELLED"

    # The same session keeps its UID, and the default language gives the default name.
    danish = _events(_feed(client, "/calendar.ics"))
    assert str(danish[f"session-{late.id}@localhost"]["summary"]) == "Lektiecafé"


def test_activity_feed_has_only_that_activity(client, app, frozen_clock):
    trip = make_activity(name="Summer trip")
    first = make_session(trip, starts_in=timedelta(days=10))
    second = make_session(trip, starts_in=timedelta(days=60))  # beyond the page's four weeks
    second.status = "cancelled"
    make_session(make_activity(name="Other"), starts_in=timedelta(days=1))
    db.session.commit()

    calendar = _feed(client, f"/activities/{trip.slug}.ics")
    assert str(calendar["x-wr-calname"]) == "Summer trip"
    events = _events(calendar)
    assert set(events) == {f"session-{first.id}@localhost", f"session-{second.id}@localhost"}
    assert str(events[f"session-{second.id}@localhost"]["status"]) == "CANCELLED"


def test_activity_feed_of_unknown_or_inactive_activity_is_not_found(client, app, frozen_clock):
    retired = make_activity(name="Retired")
    retired.active = False
    db.session.commit()
    assert client.get("/activities/no-such-thing.ics").status_code == 404
    assert client.get(f"/activities/{retired.slug}.ics").status_code == 404


@pytest.mark.parametrize("app_config", [{"PUBLIC_BASE_URL": "https://checkin.example.dk/"}])
def test_feed_uses_the_public_address(client, app, frozen_clock, app_config):
    activity = make_activity(name="Football")
    session = make_session(activity)
    db.session.commit()
    (event,) = _events(_feed(client, "/calendar.ics")).values()
    assert str(event["uid"]) == f"session-{session.id}@checkin.example.dk"
    assert str(event["url"]) == f"https://checkin.example.dk/activities/{activity.slug}"
