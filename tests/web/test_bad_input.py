"""Bad input never reaches a 500 (issue 10): hostile values thrown at every route of the app,
every form field and query parameter it reads and every JSON body of the API, as anonymous
visitors, a tablet holding a desk link, a volunteer, staff and an admin, on SQLite and
PostgreSQL (``tests/web/sweep.py`` finds what each route takes). CSRF is off here so the values
reach the views.
"""

from __future__ import annotations

import io
import re
import time
import traceback
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import Booking, EffortArea, Occurrence, Project, User
from checkin.services import clock
from tests.factories import PASSWORD, make_booking, make_session, make_user
from tests.web.helpers import csrf_token
from tests.web.sweep import targets, throw
from tests.web.sweep_world import make_world, visitors


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


def test_no_hostile_value_reaches_a_server_error(app, frozen_clock):
    world = make_world()
    users = visitors(app, world)
    found = targets(app, world, users["admin"], users["anonymous"])
    assert len(found) > 100  # every route, GET and POST
    failures = []
    for target in found:
        try:
            throw(target, world, users)
        except Exception as error:  # noqa: BLE001  (collect them all: one run shows every one)
            db.session.rollback()
            text = "".join(traceback.format_exception_only(error))
            failures.append(f"{target.method} {target.rule.rule}: {text[:1500]}")
    assert not failures, "\n\n".join(failures)


# --- Each defect found, one test each (the sweep above would find them again) -----------------


@pytest.fixture
def staff(app, client, frozen_clock):
    """A session in two days with a household, an admin logged in, English pages."""
    session = make_session(capacity=10, starts_in=timedelta(days=2))
    make_booking(session, people=["Amina"])
    make_user("admin", email="admin@example.org")
    db.session.commit()
    client.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    client.get("/language/en")
    return {"session": session.id, "activity": session.activity_id, "slug": session.activity.slug}


def page(response) -> str:
    return response.get_data(as_text=True)


def field_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def test_nul_in_form_text_is_dropped_before_the_database(client, staff):
    response = client.post("/staff/projects/new", data={"name": "Lektie\x00café", "funder": "\x00"})
    assert response.status_code == 303
    assert db.session.scalar(select(Project.name).order_by(Project.id.desc())) == "Lektiecafé"


def test_a_name_with_control_characters_is_refused_and_kept_cleaned(client, staff):
    response = client.post("/staff/users/new", data={"email": "a@example.org", "name": "Ali\x01ce"})
    assert response.status_code == 422
    assert "invisible control characters" in page(response)
    assert field_value(page(response), "name") == "Alice"
    assert db.session.scalar(select(User).where(User.email == "a@example.org")) is None


def test_sign_up_refuses_control_characters_in_first_names(client, staff):
    html = page(client.get(f"/activities/{staff['slug']}"))
    form = {
        "idempotency_key": field_value(html, "idempotency_key"),
        "session_id": str(staff["session"]),
        "scope": "session",
        "attendees-0-first_name": "Om\x01ar",
        "attendees-0-birth_year": "2015",
        "name": "Hans Hansen",
        "phone": "+45 20 12 34 56",
        "language": "da",
        "is_adult": "yes",
        "submit": "1",
    }
    response = client.post(f"/activities/{staff['slug']}", data=form)
    assert response.status_code == 422
    assert "invisible control characters" in page(response)
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 1  # the fixture's


@pytest.mark.parametrize(
    "path",
    [
        "/staff/sessions/99999999999/edit",
        "/staff/bookings/9223372036854775808",
        "/b/%00",
        "/activities/%00",
        "/t/" + "x" * 5000,
        "/staff/people/merge?keep=99999999999&merge=1",
    ],
)
def test_ids_and_tokens_past_their_bounds_are_not_found(client, staff, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/?project=²&area=99999999999", None),
        ("/staff/people?q=²²²²", None),
        ("/staff/people?q=Ami%00na", None),
        ("/staff/?endpoint=x&_scheme=javascript", None),
        ("/staff/users/{admin}/assign", {"assign-activity": "²"}),
        ("/staff/users/{admin}/assign", {"assign-activity": "99999999999"}),
        ("/activities/{slug}", {"attendees-²-first_name": "A", "attendees-" + "9" * 5000: "B"}),
        ("/activities/{slug}", {"remove_person": "²", "attendees-0-first_name": "A"}),
        ("/staff/activities/new", {"project": "", "name": "Lektiecafé"}),
    ],
)
def test_ids_and_text_typed_anywhere_are_answered_without_a_server_error(client, staff, path, data):
    admin = db.session.scalar(select(User.id).where(User.email == "admin@example.org"))
    url = path.format(admin=admin, slug=staff["slug"])
    response = client.post(url, data=data) if data is not None else client.get(url)
    assert response.status_code < 500


def test_a_new_effort_area_named_twice_with_a_non_ascii_letter_is_found_again(client, staff):
    for name in ("P1", "P2"):  # SQLite's lower() folds ASCII only: "Ørsted" was looked up lowered
        data = {"name": name, "new_effort_area": "Ørsted"}
        assert client.post("/staff/projects/new", data=data).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(EffortArea)) == 1


def test_json_nested_past_its_depth_is_refused_before_parsing(client, staff):
    for body in ("[" * 100_000, '{"token": ' + "[" * 40 + "]" * 40 + ', "pin": "1"}'):
        response = client.post(
            "/api/v1/desk-links/open", data=body, content_type="application/json"
        )
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert (error["code"], error["fields"]) == ("invalid_request", {"body": "too_deep"})


def test_dashboard_refuses_dates_out_of_range_and_keeps_them(client, staff):
    response = client.get("/staff/?start=0001-01-01&end=9999-12-31")
    assert response.status_code == 200
    html = page(response)
    assert "Write a date from 2000 to 2100." in html
    assert field_value(html, "start") == "0001-01-01"
    assert field_value(html, "end") == "9999-12-31"
    assert "Sessions from 2026-01-01 to 2026-11-24." in html  # this year so far instead


def test_dashboard_period_is_at_most_five_years_and_answers_fast(client, staff):
    started = time.monotonic()
    response = client.get("/staff/?start=2000-01-01&end=2100-12-31")
    assert time.monotonic() - started < 5  # 14 s before (one CASE branch per year)
    assert "A period is at most 5 years." in page(response)
    assert field_value(page(response), "end") == "2100-12-31"
    client.get("/language/da")
    assert "En periode er højst 5 år." in page(
        client.get("/staff/?start=2000-01-01&end=2100-12-31")
    )


def test_dashboard_with_only_an_end_last_year_counts_that_year(client, staff):
    response = client.get("/staff/?end=2025-06-30")
    assert response.status_code == 200
    assert "Sessions from 2025-01-01 to 2025-06-30." in page(response)


def test_a_weekly_series_ending_in_9999_is_refused_on_its_field(client, staff):
    data = {
        "weekdays": "1",
        "start_time": "15:00",
        "end_time": "17:00",
        "first_date": "2026-12-01",
        "last_date": "9999-12-31",
    }
    response = client.post(f"/staff/activities/{staff['activity']}/series/new", data=data)
    assert response.status_code == 422
    assert "Write a date from 2000 to 2100." in page(response)
    assert field_value(page(response), "last_date") == "9999-12-31"
    data["last_date"] = "2100-12-31"  # in range, but thousands of dates
    response = client.post(f"/staff/activities/{staff['activity']}/series/new", data=data)
    assert response.status_code == 422
    assert "At most 200 dates in one series." in page(response)


@pytest.mark.parametrize("capacity", ["99999999999", "10001", "-1"])
def test_capacity_past_what_makes_sense_is_refused_on_its_field(client, staff, capacity):
    response = client.post(
        f"/staff/sessions/{staff['session']}/capacity", data={"capacity": capacity}
    )
    assert response.status_code == 422
    assert "Number must be between 0 and 10000." in page(response)
    assert db.session.get(Occurrence, staff["session"]).capacity == 10


def test_xlsx_exports_keep_working_with_a_control_character_stored_in_a_name(client, staff):
    past = make_session(starts_in=timedelta(days=-2))
    make_booking(past, people=["Om\x01ar"], at=clock.now() - timedelta(days=3))
    db.session.commit()
    listing = client.post(f"/staff/sessions/{past.id}/export.xlsx", data={"names": "1"})
    rows = _xlsx_rows(listing)
    assert any("Omar" in row for row in rows)
    filters = {"csrf_token": csrf_token(client, "/staff/exports")}  # exports always need it
    filters |= {"start": "2026-01-01", "end": "2026-11-24"}
    filters |= dict.fromkeys(("project", "activity", "area", "age_band", "gender"), "")
    attendance = client.post(
        "/staff/exports/download",
        data={"kind": "attendance", "fmt": "xlsx", "include_names": "y", **filters},
    )
    assert any("Omar" in row for row in _xlsx_rows(attendance))


def _xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def test_a_body_past_the_size_limit_is_refused_with_a_translated_413(client, staff):
    big = "x" * 2_000_000
    response = client.post("/staff/projects/new", data={"name": big})
    assert response.status_code == 413
    assert big[:1000] not in page(response)  # never echoed back
    assert "What you sent is too large" in page(response)
    api = client.post("/api/v1/desk-links/open", json={"token": big, "pin": "1"})
    assert api.status_code == 413
    assert api.get_json()["error"]["code"] == "request_entity_too_large"


def test_a_text_longer_than_its_field_is_refused_and_kept(client, staff):
    response = client.post("/staff/projects/new", data={"name": "P" * 10_000})
    assert response.status_code == 422
    assert "At most 160 characters." in page(response)
    assert field_value(page(response), "name") == "P" * 10_000
