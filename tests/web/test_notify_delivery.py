"""Messages arriving for real: a local SMTP server and a fake SMS gateway receive what the
outbox sends; staff resend tickets from a booking's page."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from icalendar import Calendar
from PIL import Image
from pyzbar.pyzbar import decode
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Booking, OutboxMessage
from checkin.services import clock
from checkin.services.notify import deliver_pending
from tests.factories import (
    PASSWORD,
    audit_log,
    make_activity,
    make_booking,
    make_session,
    make_user,
)
from tests.notify_servers import sms_gateway, smtp_server
from tests.web.helpers import csrf_token, login

BASE = "https://checkin.example.dk"


@pytest.fixture
def app_config() -> dict:
    return {"PUBLIC_BASE_URL": BASE}


@pytest.fixture
def inbox(app):
    with smtp_server() as inbox:
        app.config.update(
            NOTIFY_BACKEND_EMAIL="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox.port
        )
        yield inbox


@pytest.fixture
def gateway(app):
    with sms_gateway() as gateway:
        app.config.update(
            NOTIFY_BACKEND_SMS="http",
            SMS_GATEWAY_URL=gateway.url,
            SMS_GATEWAY_TOKEN="gateway-secret",
            SMS_PAYLOAD_TEMPLATE='{"to": "{to}", "text": "{text}", "sender": "{sender}"}',
        )
        yield gateway


def _pending() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))))


def test_confirmation_email_has_link_qr_codes_and_calendar(app, frozen_clock, inbox):
    activity = make_activity(name="Fællesspisning", default_capacity=30, place="Beboerhuset")
    session = make_session(activity, starts_in=timedelta(days=3))
    booking = make_booking(
        session, people=["Amina", "Omar"], email="leila@example.org", locale="en"
    )
    db.session.commit()

    report = deliver_pending(at=clock.now())
    assert report.sent == 1
    (email,) = inbox.messages
    assert inbox.recipients == [["leila@example.org"]]
    assert email["Subject"] == "You are signed up: Fællesspisning"
    text = email.get_body(("plain",)).get_content()
    assert f"{BASE}/b/{booking.manage_token}" in text

    images = [p for p in email.walk() if p.get_content_type() == "image/png"]
    decoded = {decode(Image.open(io.BytesIO(p.get_content())))[0].data.decode() for p in images}
    assert decoded == {f"{BASE}/t/{a.ticket_code}" for a in booking.attendees}

    (ics,) = [p for p in email.walk() if p.get_content_type() == "text/calendar"]
    assert ics.get_filename() == "booking.ics"
    calendar = Calendar.from_ical(ics.get_content())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == session.starts_at
    assert str(event["summary"]) == "Fællesspisning"
    assert str(event["location"]) == "Beboerhuset"


def test_sms_goes_to_the_gateway_with_bearer_token(app, frozen_clock, gateway):
    booking = make_booking(make_session(), people=["Amina"], phone="20 12 34 56", locale="en")
    db.session.commit()
    assert deliver_pending(at=clock.now()).sent == 1
    (request,) = gateway.requests
    assert request["authorization"] == "Bearer gateway-secret"
    assert request["content_type"].startswith("application/json")
    assert request["json"]["to"] == "+4520123456"
    assert request["json"]["sender"] == "Nordby"
    assert request["json"]["text"].startswith("Nordby: You are signed up for ")
    assert request["json"]["text"].endswith(f"{BASE}/b/{booking.manage_token}")


def test_gateway_error_is_retried(app, frozen_clock, gateway):
    make_booking(make_session(), phone="20 12 34 56")
    db.session.commit()
    gateway.status = 503
    report = deliver_pending(at=clock.now())
    assert report.failed == 1
    (message,) = _pending()
    assert "503" in message.last_error
    gateway.status = 200
    assert deliver_pending(at=frozen_clock.advance(minutes=1)).sent == 1
    assert len(gateway.requests) == 2


# --- staff: one booking, resend tickets ---------------------------------------------------


@pytest.fixture
def booked(app, frozen_clock):
    staff = make_user("staff")
    volunteer = make_user("volunteer")
    session = make_session(make_activity(name="Lektiecafé", default_capacity=10))
    # Residents who chose English; the staff pages stay in Danish.
    booking = make_booking(
        session,
        people=["Amina", "Omar"],
        name="Leila Hansen",
        email="leila@example.org",
        locale="en",
    )
    phone_only = make_booking(session, people=["Søren"], locale="en")
    db.session.commit()
    return {
        "staff": staff.email,
        "volunteer": volunteer.email,
        "booking": booking.id,
        "phone_only": phone_only.id,
    }


def test_staff_sees_booking_and_resends_tickets(client, booked, inbox):
    login(client, booked["staff"], PASSWORD)
    url = f"/staff/bookings/{booked['booking']}"
    html = client.get(url).get_data(as_text=True)
    for text in ("Leila Hansen", "leila@example.org", "Amina", "Omar", "Lektiecafé"):
        assert text in html
    assert 'data-kind="booking_confirmed"' in html  # the message history
    assert f"/staff/bookings/{booked['booking']}/tickets/print" in html
    assert len(audit_log()) == 0  # looking is not audited

    response = client.post(
        f"{url}/resend", data={"csrf_token": csrf_token(client, url), "channel": "email"}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "tickets")).one()
    assert message.channel == "email" and message.created_by_id is not None
    (audit,) = audit_log()
    assert (audit.action, audit.object_id) == ("booking.tickets_resent", booked["booking"])

    assert inbox.messages == []
    response.close()  # the server has sent the response: now the message goes out
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects == ["Your tickets: Lektiecafé"]

    page = client.get(url).get_data(as_text=True)
    assert "Billetterne bliver sendt på e-mail." in page


def test_resend_button_disabled_without_that_contact(client, booked):
    login(client, booked["staff"], PASSWORD)
    url = f"/staff/bookings/{booked['phone_only']}"
    html = client.get(url).get_data(as_text=True)
    assert 'id="resend-email" disabled' in html
    assert 'id="resend-sms" disabled' not in html
    response = client.post(
        f"{url}/resend", data={"csrf_token": csrf_token(client, url), "channel": "email"}
    )
    assert response.status_code == 303
    assert "Denne tilmelding har ingen e-mailadresse." in client.get(url).get_data(as_text=True)
    assert len(audit_log()) == 0


def test_resend_by_sms_reaches_the_gateway_after_the_response(client, booked, gateway):
    login(client, booked["staff"], PASSWORD)
    url = f"/staff/bookings/{booked['booking']}"
    response = client.post(
        f"{url}/resend", data={"csrf_token": csrf_token(client, url), "channel": "sms"}
    )
    response.close()
    assert [r["json"]["text"].split(":")[0] for r in gateway.requests] == ["Nordby"]
    assert "Your tickets for Lektiecafé" in gateway.requests[0]["json"]["text"]


def test_failing_delivery_after_the_response_is_only_recorded(client, booked, gateway):
    gateway.status = 500
    login(client, booked["staff"], PASSWORD)
    url = f"/staff/bookings/{booked['booking']}"
    response = client.post(
        f"{url}/resend", data={"csrf_token": csrf_token(client, url), "channel": "sms"}
    )
    response.close()  # no exception reaches the client
    assert response.status_code == 303
    (message,) = [m for m in _pending() if m.kind == "tickets"]
    assert message.attempts == 1 and "500" in message.last_error
    html = client.get(url).get_data(as_text=True)
    assert "Fejlede, prøver igen" in html
    assert db.session.get(Booking, booked["booking"]).cancelled_at is None


def test_resend_requires_staff_and_csrf(client, booked):
    url = f"/staff/bookings/{booked['booking']}"
    assert client.get(url).status_code == 302  # to the login page
    login(client, booked["volunteer"], PASSWORD)
    assert client.get(url).status_code == 403
    token = csrf_token(client, "/")
    response = client.post(f"{url}/resend", data={"csrf_token": token, "channel": "email"})
    assert response.status_code == 403  # a volunteer, even with a valid form
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, booked["staff"], PASSWORD)
    assert client.post(f"{url}/resend", data={"channel": "email"}).status_code == 400  # CSRF
    assert client.get("/staff/bookings/999999").status_code == 404
    assert len(audit_log()) == 0
