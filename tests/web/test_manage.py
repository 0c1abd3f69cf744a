"""Managing a booking through its secret link, with CSRF on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import AuditLog, Booking, Occurrence, OutboxMessage
from tests.factories import make_activity, make_area, make_booking, make_session
from tests.web.helpers import csrf_token


@pytest.fixture
def english(client):
    client.get("/language/en")
    return client


@pytest.fixture
def full_session(app, frozen_clock):
    """A dinner with 4 seats: a household of 3 and one of 1 hold them, a household of 2 waits."""
    dinner = make_activity(name="Fællesspisning", default_capacity=4)
    session = make_session(dinner, starts_in=timedelta(days=3))
    family = make_booking(session, people=["Amina", "Omar", "Leila"], name="Leila Hansen")
    single = make_booking(session, people=["Søren"])
    waiting = make_booking(session, people=["Олег", "Ира"], phone="+4520999999")
    db.session.commit()
    return {
        "session_id": session.id,
        "family": family.manage_token,
        "single": single.manage_token,
        "waiting": waiting.manage_token,
    }


def booking(token: str) -> Booking:
    db.session.expire_all()
    return db.session.scalars(select(Booking).where(Booking.manage_token == token)).one()


def statuses(token: str) -> list[tuple[str, int]]:
    return [(row.status, row.seats) for row in booking(token).seat_rows]


def test_manage_page_shows_booking_people_and_status(english, full_session):
    html = english.get(f"/b/{full_session['family']}").get_data(as_text=True)
    assert "Fællesspisning" in html
    for name in ("Amina", "Omar", "Leila", "Leila Hansen"):
        assert f"<bdi>{name}</bdi>" in html
    assert "Confirmed" in html
    assert 'id="my-booking"' in html and 'data-url="/b/' in html
    assert "js/my-bookings.js" in html

    waiting = english.get(f"/b/{full_session['waiting']}")
    assert "On the waiting list" in waiting.get_data(as_text=True)
    assert waiting.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in waiting.headers["Cache-Control"]


def test_unknown_or_anonymised_token_is_404(english, full_session):
    assert english.get("/b/not-a-real-token").status_code == 404
    assert english.get("/b/" + "x" * 200).status_code == 404
    family = booking(full_session["family"])
    family.anonymized_at = family.created_at
    db.session.commit()
    assert english.get(f"/b/{full_session['family']}").status_code == 404
    assert english.get(f"/b/{full_session['family']}/cancel").status_code == 404


def test_cancel_one_attendee_asks_first_frees_a_seat_and_promotes_the_waiting(
    english, full_session
):
    family = booking(full_session["family"])
    omar = family.attendees[1]
    url = f"/b/{full_session['family']}/cancel/{omar.id}"
    page = english.get(url).get_data(as_text=True)
    assert "Cancel Omar?" in page and 'id="confirm"' in page
    assert statuses(full_session["family"]) == [("confirmed", 3)]  # asking changes nothing

    assert english.post(url, data={}).status_code == 400  # no CSRF token
    # One seat freed is not enough for the waiting household of 2.
    response = english.post(url, data={"csrf_token": csrf_token(english, url)})
    assert response.status_code == 303
    assert statuses(full_session["family"]) == [("confirmed", 2)]
    assert statuses(full_session["waiting"]) == [("waitlisted", 2)]

    amina = booking(full_session["family"]).attendees[0]
    url = f"/b/{full_session['family']}/cancel/{amina.id}"
    english.post(url, data={"csrf_token": csrf_token(english, url)})
    assert statuses(full_session["family"]) == [("confirmed", 1)]
    assert statuses(full_session["waiting"]) == [("confirmed", 2)]  # promoted
    assert db.session.get(Occurrence, full_session["session_id"]).seats_taken == 4
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert "waitlist_promoted" in kinds

    html = english.get(f"/b/{full_session['family']}").get_data(as_text=True)
    assert "Amina is cancelled." in html
    assert 'class="attendee cancelled"' in html
    assert "Confirmed" in english.get(f"/b/{full_session['waiting']}").get_data(as_text=True)


def test_attendee_of_another_booking_is_404(english, full_session):
    other = booking(full_session["single"]).attendees[0]
    assert english.get(f"/b/{full_session['family']}/cancel/{other.id}").status_code == 404


def test_cancel_all_asks_first_then_frees_every_seat(english, full_session):
    url = f"/b/{full_session['family']}/cancel"
    page = english.get(url).get_data(as_text=True)
    assert "Cancel the whole booking?" in page
    response = english.post(url, data={"csrf_token": csrf_token(english, url)})
    assert response.status_code == 303
    family = booking(full_session["family"])
    assert family.cancelled_at is not None
    assert statuses(full_session["family"]) == [("cancelled", 0)]
    assert statuses(full_session["waiting"]) == [("confirmed", 2)]
    html = english.get(f"/b/{full_session['family']}").get_data(as_text=True)
    assert "Your booking is cancelled." in html and 'id="booking-cancelled"' in html
    assert 'id="cancel-all"' not in html
    assert 'data-cancelled="true"' in html  # the phone forgets it
    # Cancelling again is refused politely.
    english.post(url, data={"csrf_token": csrf_token(english, url)})
    assert "already cancelled" in english.get(f"/b/{full_session['family']}").get_data(as_text=True)


def test_leave_waiting_list(english, full_session):
    url = f"/b/{full_session['waiting']}/waitlist/{full_session['session_id']}/leave"
    assert f'href="{url}"' in english.get(f"/b/{full_session['waiting']}").get_data(as_text=True)
    assert "Leave the waiting list?" in english.get(url).get_data(as_text=True)
    response = english.post(url, data={"csrf_token": csrf_token(english, url)})
    assert response.status_code == 303
    assert statuses(full_session["waiting"]) == [("cancelled", 2)]
    # A confirmed booking is not on the waiting list.
    url = f"/b/{full_session['family']}/waitlist/{full_session['session_id']}/leave"
    english.post(url, data={"csrf_token": csrf_token(english, url)})
    assert statuses(full_session["family"]) == [("confirmed", 3)]


def test_edit_contact(english, full_session):
    area = make_area("Vangdalen", departments=["Falkevej"])
    db.session.commit()
    url = f"/b/{full_session['family']}/contact"
    page = english.get(url).get_data(as_text=True)
    assert 'value="Leila Hansen"' in page
    token = csrf_token(english, url)
    data = {
        "csrf_token": token,
        "name": "Leila Æblegård",
        "phone": "",
        "email": "",
        "residence": f"d{area.departments[0].id}",
        "language": "da",
    }
    response = english.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="phone-error"' in html and 'value="Leila Æblegård"' in html

    data.update(phone="+46 70 123 45 67", email="leila@example.dk")
    assert english.post(url, data=data).status_code == 303
    family = booking(full_session["family"])
    assert family.contact_name == "Leila Æblegård"
    assert family.contact_phone == "+46701234567"
    assert family.contact_email == "leila@example.dk"
    assert family.department_id == area.departments[0].id
    assert family.area_id == area.id
    assert family.locale == "da"
    assert all(a.area_id == area.id for a in family.attendees)


def test_my_bookings_page_works_from_local_storage(english, app):
    html = english.get("/my-bookings").get_data(as_text=True)
    assert 'id="my-bookings-list"' in html
    assert "<noscript>" in html
    assert "js/my-bookings.js" in html


def test_my_bookings_script_is_small_and_plain():
    from checkin import ROOT

    script = ROOT / "static" / "js" / "my-bookings.js"
    assert script.stat().st_size < 3 * 1024
    assert "innerHTML" not in script.read_text(encoding="utf-8")


def test_resident_downloads_and_erases_their_information(client, app, frozen_clock):
    session = make_session(capacity=2)
    booking = make_booking(session, people=["Hodan", "Ayaan"], name="Hodan Warsame")
    waiting = make_booking(session, people=["Olena"])
    db.session.commit()
    token = booking.manage_token

    data = client.get(f"/b/{token}/data.json")
    assert data.status_code == 200
    assert "attachment" in data.headers["Content-Disposition"]
    body = data.get_json()
    assert body["contact"]["name"] == "Hodan Warsame"
    assert [p["first_name"] for p in body["people"]] == ["Hodan", "Ayaan"]

    assert client.get(f"/b/{token}/erase").status_code == 200
    token_field = csrf_token(client, f"/b/{token}/erase")
    response = client.post(f"/b/{token}/erase", data={"csrf_token": token_field})
    assert response.status_code == 303
    db.session.expire_all()
    erased = db.session.get(Booking, booking.id)
    assert erased.anonymized_at is not None and erased.contact_phone is None
    assert all(a.first_name is None for a in erased.attendees)
    assert client.get(f"/b/{token}").status_code == 404
    # The freed seats went to the waiting household.
    assert {row.status for row in db.session.get(Booking, waiting.id).seat_rows} == {"confirmed"}
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "erase_booking"))
