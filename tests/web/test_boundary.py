"""The request boundary (checkin/boundary.py): a successful request commits once, any other
ending rolls back; a refusal under /api/ is 422 {code, message, field}; messages queued by a
request go out only after its commit; ids past the database's range are 404, never 500."""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import func, select

from checkin.boundary import MAX_ID, parse_id
from checkin.extensions import db
from checkin.models import Area, OutboxMessage
from checkin.services import clock
from checkin.services.errors import DomainError
from checkin.services.notify import enqueue_message
from checkin.services.planning import create_area
from tests.factories import PASSWORD, make_booking, make_session, make_user
from tests.web.helpers import login


@pytest.fixture
def routes(app):
    """Throwaway routes that write and then end in different ways."""

    def write_then(ending: str):
        def view():
            create_area(f"Area {ending}")
            if ending == "refuse":
                raise DomainError("test_refused", "Not today.", field="name")
            if ending == "missing":
                abort(404)
            return "written"

        return view

    for ending in ("ok", "refuse", "missing"):
        app.add_url_rule(f"/test/{ending}", f"test_{ending}", write_then(ending))
        app.add_url_rule(f"/api/test/{ending}", f"api_test_{ending}", write_then(ending))
    return app


def area_names() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(Area.name).where(Area.name.like("Area %"))))


def test_a_successful_request_commits_its_writes(routes, client):
    assert client.get("/test/ok").status_code == 200
    assert area_names() == ["Area ok"]


def test_a_refused_api_request_answers_422_with_code_message_and_field(routes, client):
    response = client.get("/api/test/refuse")
    assert response.status_code == 422
    assert response.get_json() == {
        "error": {"code": "test_refused", "message": "Not today.", "field": "name"}
    }
    assert area_names() == []  # the write before the refusal is rolled back


def test_a_refused_page_shows_the_message_and_writes_nothing(routes, client):
    response = client.get("/test/refuse")
    assert response.status_code == 422
    assert "Not today." in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert area_names() == []


def test_an_error_status_rolls_back(routes, client):
    assert client.get("/test/missing").status_code == 404
    assert client.get("/api/test/missing").status_code == 404
    assert area_names() == []


@pytest.fixture
def owing(app):
    """Routes that queue a confirmation message for a booking, then succeed or refuse."""
    booking = make_booking(make_session())
    db.session.execute(db.delete(OutboxMessage))  # the booking's own confirmation
    db.session.commit()
    booking_id = booking.id

    def queue(refuse: bool):
        def view():
            enqueue_message(
                "booking_confirmed", db.session.get(type(booking), booking_id), at=clock.now()
            )
            if refuse:
                raise DomainError("test_refused", "Not today.")
            return "queued"

        return view

    app.add_url_rule("/test/owe", "test_owe", queue(False))
    app.add_url_rule("/test/owe-refused", "test_owe_refused", queue(True))
    return app


def messages() -> list[OutboxMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage)))


def test_a_queued_message_is_delivered_after_the_commit(owing, client):
    response = client.get("/test/owe")
    assert response.status_code == 200
    assert messages()[0].sent_at is None  # not while the response is still open
    response.close()
    (message,) = messages()
    assert message.kind == "booking_confirmed"
    assert message.sent_at is not None  # delivered once the response was closed


def test_a_message_of_a_refused_request_is_neither_stored_nor_delivered(owing, client):
    assert client.get("/test/owe-refused").status_code == 422
    assert messages() == []
    # and nothing is left owed for the next request on the same session
    assert client.get("/test/owe").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/staff/sessions/0",
        "/staff/sessions/2147483648",
        "/staff/sessions/99999999999",
        "/staff/sessions/99999999999999999999999",
        "/staff/bookings/9223372036854775808",
        "/staff/people/merge?keep=99999999999&merge=1",
    ],
)
def test_ids_past_the_database_range_are_not_found(app, client, path):
    make_user("staff", email="staff@example.org")
    db.session.commit()
    login(client, "staff@example.org", PASSWORD)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (str(MAX_ID), MAX_ID),
        ("0", None),
        (str(MAX_ID + 1), None),
        ("-1", None),
        (" 1", None),
        ("²", None),  # a digit to str.isdigit, not to int
        ("9" * 5000, None),  # past the length int() accepts
        ("", None),
    ],
)
def test_parse_id_takes_only_database_ids(raw, expected):
    assert parse_id(raw) == expected


def test_a_merge_with_odd_ids_is_not_found(app, client):
    make_user("staff", email="staff@example.org")
    db.session.commit()
    login(client, "staff@example.org", PASSWORD)
    assert client.get("/staff/people/merge?keep=%C2%B2&merge=1").status_code == 404
    assert client.get(f"/staff/people/merge?keep={'9' * 5000}&merge=1").status_code == 404
