"""The staff back office through the test client with CSRF on: who may open what, and the
planning, booking, people and users pages doing their work."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import (
    Activity,
    Booking,
    Occurrence,
    OutboxMessage,
    Participant,
    Project,
    Target,
    User,
    VolunteerShift,
)
from checkin.services import clock
from tests.factories import PASSWORD, make_area, make_booking, make_session, make_user
from tests.web.helpers import csrf_token, login


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def world(app, frozen_clock):
    session = make_session(capacity=4, starts_in=timedelta(days=2))
    booking = make_booking(session, people=["Amina", "Omar"])
    other = make_booking(session, people=["Sofie"], phone="+4520000009")
    area = make_area("Vangdalen", departments=["Syd"])
    users = {role: make_user(role) for role in ("admin", "staff", "volunteer")}
    db.session.commit()
    return {
        "session": session.id,
        "activity": session.activity_id,
        "slug": session.activity.slug,
        "project": session.activity.project_id,
        "booking": booking.id,
        "participant": booking.attendees[0].participant_id,
        "other_participant": other.attendees[0].participant_id,
        "department": area.departments[0].id,
        "users": {role: (u.id, u.email) for role, u in users.items()},
    }


def _routes(w):
    return [
        "/staff/planning",
        "/staff/projects/new",
        f"/staff/projects/{w['project']}",
        "/staff/activities/new",
        f"/staff/activities/{w['activity']}/edit",
        f"/staff/activities/{w['activity']}/sessions",
        f"/staff/activities/{w['activity']}/sessions/new",
        f"/staff/activities/{w['activity']}/series/new",
        f"/staff/sessions/{w['session']}",
        f"/staff/sessions/{w['session']}/edit",
        f"/staff/sessions/{w['session']}/cancel",
        f"/staff/sessions/{w['session']}/hours",
        f"/staff/activities/{w['slug']}/book",
        f"/staff/bookings/{w['booking']}",
        "/staff/people",
        f"/staff/people/{w['participant']}",
        "/staff/people/duplicates",
        f"/staff/people/merge?keep={w['participant']}&merge={w['other_participant']}",
    ]


ADMIN_ROUTES = ["/staff/users", "/staff/users/new"]


def _login(client, world, role):
    login(client, world["users"][role][1], PASSWORD)
    client.get("/language/en")


def test_anonymous_is_sent_to_login(client, world):
    user_id = world["users"]["staff"][0]
    for url in [*_routes(world), *ADMIN_ROUTES, f"/staff/users/{user_id}"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"], url


def test_volunteer_is_refused(client, world):
    _login(client, world, "volunteer")
    for url in [*_routes(world), *ADMIN_ROUTES]:
        assert client.get(url).status_code == 403, url


def test_staff_opens_every_page_but_not_users(client, world):
    _login(client, world, "staff")
    for url in _routes(world):
        assert client.get(url).status_code == 200, url
    for url in [*ADMIN_ROUTES, f"/staff/users/{world['users']['staff'][0]}"]:
        assert client.get(url).status_code == 403, url
    html = client.get("/staff/planning").get_data(as_text=True)
    assert 'class="staff-nav"' in html
    assert 'href="/staff/users"' not in html  # only admins see the users link


def test_post_without_csrf_token_is_refused(client, world):
    _login(client, world, "staff")
    response = client.post(
        f"/staff/sessions/{world['session']}/cancel", data={"reason": "No token"}
    )
    assert response.status_code == 400
    assert db.session.get(Occurrence, world["session"]).status == "scheduled"


def test_create_project_activity_and_weekly_series(client, world):
    _login(client, world, "staff")
    token = csrf_token(client, "/staff/projects/new")
    response = client.post(
        "/staff/projects/new",
        data={"csrf_token": token, "name": "Lektiehjælp", "new_effort_area": "Uddannelse"},
    )
    assert response.status_code == 303
    project = db.session.scalar(select(Project).where(Project.name == "Lektiehjælp"))
    assert project.effort_area.name == "Uddannelse"
    response = client.post(
        "/staff/activities/new",
        data={
            "csrf_token": token,
            "project": str(project.id),
            "name": "Lektiecafé",
            "name_en": "Homework café",
            "name_ar": "مقهى الواجبات",
            "description_uk": "Допомога з домашніми завданнями",
            "target_group": "children",
            "min_age": "6",
            "max_age": "12",
            "default_capacity": "15",
            "signup_required": "y",
        },
    )
    assert response.status_code == 303
    activity_id = int(re.search(r"/activities/(\d+)/sessions", response.headers["Location"])[1])
    texts = {
        t.locale: (t.name, t.description)
        for t in db.session.get(Activity, activity_id).translations
    }
    assert texts == {
        "en": ("Homework café", None),
        "ar": ("مقهى الواجبات", None),
        "uk": (None, "Допомога з домашніми завданнями"),
    }
    form = client.get(f"/staff/activities/{activity_id}/edit").get_data(as_text=True)
    assert 'lang="so"' in form and "مقهى الواجبات" in form
    response = client.post(
        f"/staff/activities/{activity_id}/series/new",
        data={
            "csrf_token": token,
            "weekdays": ["1"],
            "start_time": "15:00",
            "end_time": "17:00",
            "first_date": "2026-12-01",
            "last_date": "2026-12-29",
            "skip_dates": "2026-12-22\n2026-12-29",
        },
    )
    assert response.status_code == 303
    sessions = db.session.scalars(
        select(Occurrence)
        .where(Occurrence.activity_id == activity_id)
        .order_by(Occurrence.starts_at)
    ).all()
    assert [clock.local(s.starts_at).day for s in sessions] == [1, 8, 15]
    assert {s.capacity for s in sessions} == {15}
    html = client.get(f"/staff/activities/{activity_id}/sessions").get_data(as_text=True)
    assert html.count('class="session-row') == 3

    bad = client.post(
        f"/staff/activities/{activity_id}/series/new",
        data={
            "csrf_token": token,
            "weekdays": ["1"],
            "start_time": "17:00",
            "end_time": "15:00",
            "first_date": "2026-12-01",
            "last_date": "2026-12-29",
        },
    )
    assert bad.status_code == 422
    assert "The end must be after the start." in bad.get_data(as_text=True)


def test_capacity_and_cancel_through_the_pages(client, world):
    _login(client, world, "staff")
    url = f"/staff/sessions/{world['session']}"
    token = csrf_token(client, url + "/edit")
    refused = client.post(url + "/capacity", data={"csrf_token": token, "capacity": "1"})
    assert refused.status_code == 422
    assert (
        client.post(url + "/capacity", data={"csrf_token": token, "capacity": "8"}).status_code
        == 303
    )
    assert db.session.get(Occurrence, world["session"]).capacity == 8
    response = client.post(url + "/cancel", data={"csrf_token": token, "reason": "Storm"})
    assert response.status_code == 303
    session = db.session.get(Occurrence, world["session"])
    assert (session.status, session.seats_taken) == ("cancelled", 0)
    told = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "session_cancelled")
    )
    assert told == 2


def test_assisted_booking_books_for_the_office(client, world):
    _login(client, world, "staff")
    url = f"/staff/activities/{world['slug']}/book"
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html)[1]
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "idempotency_key": key,
            "session_id": str(world["session"]),
            "scope": "session",
            "attendees-0-first_name": "Yusuf",
            "attendees-0-birth_year": "2016",
            "is_adult": "yes",
            "name": "Fatima Ali",
            "phone": "20 11 22 33",
            "residence": f"d{world['department']}",
            "language": "da",
            "submit": "1",
        },
    )
    assert response.status_code == 303
    booking = db.session.scalar(select(Booking).where(Booking.contact_name == "Fatima Ali"))
    assert response.headers["Location"].endswith(f"/staff/bookings/{booking.id}")
    staff_id = world["users"]["staff"][0]
    assert (booking.source, booking.created_by_id) == ("office", staff_id)
    page = client.get(f"/staff/bookings/{booking.id}").get_data(as_text=True)
    assert f"/staff/bookings/{booking.id}/tickets/print" in page


def test_move_booking_form(client, world):
    _login(client, world, "staff")
    later = make_session(
        db.session.get(Occurrence, world["session"]).activity,
        capacity=5,
        starts_in=timedelta(days=9),
    )
    db.session.commit()
    page = f"/staff/bookings/{world['booking']}"
    token = csrf_token(client, page)
    response = client.post(
        page + "/move",
        data={
            "csrf_token": token,
            "from_session": str(world["session"]),
            "to_session": str(later.id),
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Occurrence, later.id).seats_taken == 2
    assert db.session.get(Occurrence, world["session"]).seats_taken == 1


def test_session_list_shows_no_shows_after_the_session(client, world, frozen_clock):
    _login(client, world, "staff")
    url = f"/staff/sessions/{world['session']}"
    assert 'data-count="no_shows">0<' in client.get(url).get_data(as_text=True)
    frozen_clock.advance(days=3)
    html = client.get(url).get_data(as_text=True)
    assert 'data-count="no_shows">3<' in html
    assert f"/desk/sessions/{world['session']}/paper/enter" in html


def test_merge_people(client, world):
    _login(client, world, "staff")
    url = f"/staff/people/merge?keep={world['participant']}&merge={world['other_participant']}"
    token = csrf_token(client, url)
    assert client.post(url, data={"csrf_token": token}).status_code == 303
    merged = db.session.get(Participant, world["other_participant"])
    assert merged.merged_into_id == world["participant"]


def test_admin_manages_users_and_staff_enters_hours(client, world, frozen_clock):
    _login(client, world, "admin")
    token = csrf_token(client, "/staff/users/new")
    response = client.post(
        "/staff/users/new",
        data={
            "csrf_token": token,
            "email": "helper@example.org",
            "name": "Helper",
            "role": "volunteer",
            "password": "long enough pw",
        },
    )
    assert response.status_code == 303
    helper = db.session.scalar(select(User).where(User.email == "helper@example.org"))
    base = f"/staff/users/{helper.id}"
    assert (
        client.post(base, data={"csrf_token": token, "name": "Helper", "role": "staff"}).status_code
        == 303
    )
    assert (
        client.post(
            base + "/assign", data={"csrf_token": token, "assign-activity": str(world["activity"])}
        ).status_code
        == 303
    )
    assert client.post(base + "/active", data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    helper = db.session.get(User, helper.id)
    assert (helper.role, helper.active) == ("staff", False)

    frozen_clock.advance(days=2, hours=1)
    hours_url = f"/staff/sessions/{world['session']}/hours"
    response = client.post(
        hours_url, data={"csrf_token": token, "user": str(helper.id), "minutes": "90"}
    )
    assert response.status_code == 422  # deactivated users are not offered
    volunteer_id = world["users"]["volunteer"][0]
    response = client.post(
        hours_url, data={"csrf_token": token, "user": str(volunteer_id), "minutes": "90"}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(VolunteerShift.minutes)) == 90


def test_add_then_edit_a_target(client, world):
    _login(client, world, "staff")
    edit_page = f"/staff/activities/{world['activity']}/edit"
    token = csrf_token(client, edit_page)
    response = client.post(
        f"/staff/activities/{world['activity']}/targets",
        data={
            "csrf_token": token,
            "target-metric": "unique_participants",
            "target-value": "40",
            "target-period_start": "2027-01-01",
            "target-period_end": "2027-06-30",
        },
    )
    assert response.status_code == 303
    target = db.session.scalar(select(Target).where(Target.activity_id == world["activity"]))
    assert target.value == 40
    assert f"/staff/targets/{target.id}" in client.get(edit_page).get_data(as_text=True)

    url = f"/staff/targets/{target.id}"
    data = {
        "csrf_token": csrf_token(client, url),
        "metric": "attendances",
        "value": "300",
        "period_start": "2027-01-01",
        "period_end": "2026-12-31",
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 422  # the period ends before it starts; nothing typed is lost
    assert 'value="300"' in refused.get_data(as_text=True)
    data["period_end"] = "2027-12-31"
    assert client.post(url, data=data).status_code == 303
    db.session.expire_all()
    target = db.session.get(Target, target.id)
    assert (target.metric, target.value, target.period_end.isoformat()) == (
        "attendances",
        300,
        "2027-12-31",
    )
