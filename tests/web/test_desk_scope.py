"""The desk's scope through HTTP (issue 10, "Desk scope"): volunteers and desk links write only
to sessions in their desk window (judged, for an offline action synced late, by when it was
recorded), at most ``DESK_HEADCOUNT_MAX_PER_TAP`` people per headcount tap, and a desk link locks
after ``DESK_PIN_MAX_ATTEMPTS`` wrong PINs until staff unlock it. Every API answer is checked
against the OpenAPI document."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import AuditLog, CheckIn, DeskLink, ScanLog
from checkin.services import clock
from checkin.services.desk import create_desk_link
from tests.factories import PASSWORD, make_activity, make_booking, make_session, make_user
from tests.web.api_contract import check_every_api_response
from tests.web.helpers import csrf_token, login


@pytest.fixture(autouse=True)
def _responses_match_the_document(client, monkeypatch):
    check_every_api_response(client, monkeypatch)


@pytest.fixture
def door(app, client, frozen_clock):
    """Sessions of one activity yesterday, in an hour (today) and tomorrow, a ticket for each,
    a volunteer, a staff member and a desk link."""
    client.set_cookie("lang", "en")
    activity = make_activity(name="Lektiecafé", default_capacity=20)
    sessions, codes = {}, {}
    for name, starts_in in [
        ("yesterday", timedelta(days=-1)),
        ("today", timedelta(hours=1)),
        ("tomorrow", timedelta(days=1)),
    ]:
        session = make_session(activity, starts_in=starts_in)
        sessions[name] = session.id
        booked = make_booking(session, people=["Amina"], at=clock.now() - timedelta(days=2))
        codes[name] = booked.attendees[0].ticket_code
    volunteer, staff = make_user("volunteer"), make_user("staff")
    link, token, pin = create_desk_link("Tablet 1", by=None, at=clock.now())
    db.session.commit()
    return {
        "sessions": sessions,
        "codes": codes,
        "volunteer": volunteer.email,
        "staff": staff.email,
        "link_id": link.id,
        "token": token,
        "pin": pin,
    }


def write(**extra) -> dict:
    return {"client_id": str(uuid.uuid4()), "occurred_at": clock.now().isoformat(), **extra}


def api(door, when: str, tail: str) -> str:
    return f"/api/v1/sessions/{door['sessions'][when]}/{tail}"


def as_volunteer(client, door, who: str = "volunteer") -> dict:
    login(client, door[who], PASSWORD)
    return {"X-CSRFToken": csrf_token(client, "/desk/")}


def open_link(client, door, pin: str):
    return client.post("/api/v1/desk-links/open", json={"token": door["token"], "pin": pin})


def check_ins(session_id: int) -> int:
    db.session.expire_all()
    query = select(func.count(CheckIn.id)).where(CheckIn.session_id == session_id)
    return db.session.scalar(query) or 0


def test_a_volunteer_scans_only_in_the_sessions_window(client, door):
    headers = as_volunteer(client, door)
    tomorrow = client.post(
        api(door, "tomorrow", "scan"), json=write(code=door["codes"]["tomorrow"]), headers=headers
    )
    assert tomorrow.status_code == 403
    error = tomorrow.get_json()["error"]
    assert error["code"] == "outside_desk_window"
    assert error["message"].startswith("The desk for this session opens at")
    assert check_ins(door["sessions"]["tomorrow"]) == 0
    assert db.session.scalar(select(func.count(ScanLog.id))) == 0  # nothing written at all

    yesterday = client.post(
        api(door, "yesterday", "scan"),
        json=write(code=door["codes"]["yesterday"]),
        headers=headers,
    )
    assert yesterday.get_json()["error"]["code"] == "outside_desk_window"
    assert "closed at" in yesterday.get_json()["error"]["message"]

    today = client.post(
        api(door, "today", "scan"), json=write(code=door["codes"]["today"]), headers=headers
    )
    assert (today.status_code, today.get_json()["result"]) == (200, "ok")
    assert check_ins(door["sessions"]["today"]) == 1


def test_every_desk_write_of_a_desk_link_is_held_to_the_window(client, door):
    token = open_link(client, door, door["pin"]).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    attempts = {
        "scan": write(code=door["codes"]["tomorrow"]),
        "household": write(code="HOUSEHOLD", attendee_ids=[1]),
        "walk-ins": write(first_name="Omar", age_band="18-24"),
        "headcount": write(age_band="adult", count=1),
        "undo": write(check_in_id=1),
        "feedback": {"client_id": str(uuid.uuid4()), "score": 5},
    }
    for tail, body in attempts.items():
        response = client.post(api(door, "tomorrow", tail), json=body, headers=headers)
        assert response.status_code == 403, tail
        assert response.get_json()["error"]["code"] == "outside_desk_window", tail
    assert check_ins(door["sessions"]["tomorrow"]) == 0


def test_staff_correct_any_session_and_the_log_says_who(client, door):
    headers = as_volunteer(client, door, "staff")
    response = client.post(
        api(door, "yesterday", "scan"),
        json=write(code=door["codes"]["yesterday"]),
        headers=headers,
    )
    assert response.get_json()["result"] == "ok"
    log = db.session.scalar(
        select(ScanLog).where(ScanLog.session_id == door["sessions"]["yesterday"])
    )
    assert log is not None and log.user_id is not None and log.offline is False


def test_an_offline_scan_is_judged_by_when_it_happened(client, door):
    """Scanned offline at yesterday's door, synced this morning: accepted. An item claiming a
    time after that session's window closed is refused and writes no check-in."""
    token = open_link(client, door, door["pin"]).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    during = (clock.now() - timedelta(days=1) + timedelta(minutes=10)).isoformat()
    items = [
        {"type": "scan", **write(code=door["codes"]["yesterday"]), "occurred_at": during},
        {"type": "headcount", **write(age_band="adult", count=2)},  # "now": too late
    ]
    answers = client.post(api(door, "yesterday", "sync"), json={"items": items}, headers=headers)
    assert answers.status_code == 200
    assert [r["result"] for r in answers.get_json()["results"]] == ["ok", "outside_desk_window"]
    assert check_ins(door["sessions"]["yesterday"]) == 1


def test_a_headcount_of_50_in_one_tap_is_refused(client, door):
    headers = as_volunteer(client, door)
    fifty = client.post(
        api(door, "today", "headcount"), json=write(age_band="adult", count=50), headers=headers
    )
    assert fifty.status_code == 422
    error = fifty.get_json()["error"]
    assert (error["code"], error["field"]) == ("too_many_at_once", "count")
    assert error["message"] == "Count at most 20 people at a time."
    assert check_ins(door["sessions"]["today"]) == 0
    twenty = client.post(
        api(door, "today", "headcount"), json=write(age_band="adult", count=20), headers=headers
    )
    assert twenty.status_code == 201


def test_five_wrong_pins_lock_the_link_until_staff_unlock_it(client, door):
    answers = [open_link(client, door, "wrong") for _ in range(5)]
    codes = [(r.status_code, r.get_json()["error"]["code"]) for r in answers]
    assert codes == [(403, "wrong_pin")] * 4 + [(423, "link_locked")]
    right = open_link(client, door, door["pin"])
    assert right.status_code == 423
    assert right.get_json()["error"]["message"] == (
        "This link is locked after too many wrong PINs. Ask staff to unlock it."
    )

    login(client, door["staff"], PASSWORD)
    page = client.get("/desk/links").get_data(as_text=True)
    assert "Locked after 5 wrong PINs" in page
    unlock = client.post(
        f"/desk/links/{door['link_id']}/unlock",
        data={"csrf_token": csrf_token(client, "/desk/links")},
    )
    assert unlock.status_code == 303
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "unlock_desk_link"))
    assert audit is not None and audit.object_id == door["link_id"]
    assert open_link(client, door, door["pin"]).status_code == 200


def test_a_right_pin_starts_the_count_again(client, door):
    for _ in range(4):
        assert open_link(client, door, "wrong").status_code == 403
    assert open_link(client, door, door["pin"]).status_code == 200
    for _ in range(4):
        assert open_link(client, door, "wrong").status_code == 403
    assert open_link(client, door, door["pin"]).status_code == 200


def test_the_pin_page_says_the_link_is_locked(client, door):
    url = f"/desk/link/{door['token']}"
    for _ in range(5):
        client.post(url, data={"csrf_token": csrf_token(client, url), "pin": "wrong"})
    locked = client.post(url, data={"csrf_token": csrf_token(client, url), "pin": door["pin"]})
    assert locked.status_code == 423
    assert "This link is locked after too many wrong PINs." in locked.get_data(as_text=True)
    client.set_cookie("lang", "da")
    danish = client.post(url, data={"csrf_token": csrf_token(client, url), "pin": door["pin"]})
    assert "Dette link er låst" in danish.get_data(as_text=True)


def test_concurrent_wrong_pins_all_count(app, door):
    """Wrong PINs sent at the same moment each take a try: none is lost to a race (PostgreSQL
    shows it; SQLite runs them one after another), and no burst gets more than the maximum."""
    threads = 8
    barrier = Barrier(threads)

    def try_wrong(_n: int) -> int:
        client = app.test_client()
        barrier.wait(timeout=30)
        return client.post(
            "/api/v1/desk-links/open", json={"token": door["token"], "pin": "wrong"}
        ).status_code

    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = sorted(pool.map(try_wrong, range(threads)))
    assert statuses.count(403) == 4  # four wrong_pin, the fifth try locks, the rest find it locked
    assert statuses.count(423) == 4
    db.session.expire_all()
    link = db.session.get(DeskLink, door["link_id"])
    assert link is not None and link.failed_pins == 5 and link.locked_at is not None


def test_two_wrong_pins_at_once_both_count(app, door):
    barrier = Barrier(2)

    def try_wrong(_n: int) -> int:
        client = app.test_client()
        barrier.wait(timeout=30)
        return client.post(
            "/api/v1/desk-links/open", json={"token": door["token"], "pin": "wrong"}
        ).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(try_wrong, range(2))) == [403, 403]
    db.session.expire_all()
    link = db.session.get(DeskLink, door["link_id"])
    assert link is not None and link.failed_pins == 2


def test_the_desk_page_says_when_the_session_is_outside_the_window(client, door):
    make_session(make_activity(name="Aftenklub"), starts_in=timedelta(hours=4))  # 18:00 today
    db.session.commit()
    login(client, door["volunteer"], PASSWORD)
    start = client.get("/desk/").get_data(as_text=True)
    assert "Aftenklub" in start and "Opens at 16:00" in start
    url = f"/desk/sessions/{door['sessions']['tomorrow']}"
    page = client.get(url)
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "The desk for this session opens at" in html
    assert 'id="scan-form"' not in html
    client.set_cookie("lang", "da")
    danish = client.get(url).get_data(as_text=True)
    assert "Check-in til denne gang åbner" in danish
    assert client.get(f"/desk/sessions/{door['sessions']['today']}").status_code == 200


def test_a_volunteer_held_to_their_activities(client, door, app):
    from checkin.models import User

    other = make_session(make_activity(name="Fællesspisning"), starts_in=timedelta(hours=1))
    volunteer = db.session.scalar(select(User).where(User.email == door["volunteer"]))
    assert volunteer is not None
    db.session.commit()

    admin = make_user("admin")
    db.session.commit()
    office = app.test_client()
    login(office, admin.email, PASSWORD)
    edit = f"/staff/users/{volunteer.id}"
    assert 'id="desk-scope-form"' in office.get(edit).get_data(as_text=True)
    saved = office.post(
        f"{edit}/desk-scope",
        data={"scope-csrf_token": csrf_token(office, edit), "scope-assigned_only": "y"},
    )
    assert saved.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, volunteer.id).desk_assigned_only is True
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "desk_scope")) is not None

    headers = as_volunteer(client, door)
    sessions = client.get("/api/v1/sessions").get_json()["sessions"]
    assert sessions == []  # assigned to nothing yet
    refused = client.post(
        f"/api/v1/sessions/{other.id}/headcount", json=write(age_band="adult"), headers=headers
    )
    assert refused.get_json()["error"]["code"] == "not_assigned"


def test_a_desk_link_for_one_activity(client, door):
    other_activity = make_activity(name="Fællesspisning")
    other = make_session(other_activity, starts_in=timedelta(hours=1))
    db.session.commit()
    login(client, door["staff"], PASSWORD)
    created = client.post(
        "/desk/links",
        data={
            "csrf_token": csrf_token(client, "/desk/links"),
            "name": "Café tablet",
            "activity_id": str(other_activity.id),
        },
    )
    assert created.status_code == 200
    link = db.session.scalar(select(DeskLink).where(DeskLink.name == "Café tablet"))
    assert link is not None and link.activity_id == other_activity.id
    html = created.get_data(as_text=True)
    pin = html.split('id="created-pin">')[1].split("<")[0]
    token = html.split('id="created-url">')[1].split("<")[0].rsplit("/", 1)[1]
    bearer = client.post("/api/v1/desk-links/open", json={"token": token, "pin": pin})
    headers = {"Authorization": "Bearer " + bearer.get_json()["token"]}
    sessions = client.get("/api/v1/sessions", headers=headers).get_json()["sessions"]
    assert [s["id"] for s in sessions] == [other.id]
    refused = client.post(
        api(door, "today", "headcount"), json=write(age_band="adult"), headers=headers
    )
    assert refused.get_json()["error"] == {
        "code": "not_assigned",
        "message": "This desk link is for another activity.",
        "field": None,
    }
    ok = client.post(
        f"/api/v1/sessions/{other.id}/headcount", json=write(age_band="adult"), headers=headers
    )
    assert ok.status_code == 201
    for tail in ("tickets", "counters", "search?q=Amina"):  # nor reads its people's names
        read = client.get(api(door, "today", tail), headers=headers)
        assert (read.status_code, read.get_json()["error"]["code"]) == (403, "not_assigned")
    assert client.get(f"/api/v1/sessions/{other.id}/tickets", headers=headers).status_code == 200
