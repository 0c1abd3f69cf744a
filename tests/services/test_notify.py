"""Notifications: composing each kind in the resident's language, choosing the channel,
retrying failed sends, sending each message once however many runs race, and reminders."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Booking, Occurrence, OutboxMessage
from checkin.services import clock
from checkin.services.booking import cancel_booking
from checkin.services.errors import DomainError
from checkin.services.notify import (
    deliver_pending,
    message_status,
    queue_reminders,
    resend_tickets,
)
from checkin.services.notify.backends import build_sms_payload
from checkin.services.notify.compose import (
    CannotCompose,
    choose_channel,
    compose_email,
    compose_sms,
)
from checkin.vocabulary import MessageKind
from tests.factories import audit_log, make_activity, make_booking, make_session, make_user
from tests.notify_servers import smtp_server

BASE = "https://checkin.example.dk"


@pytest.fixture
def app_config() -> dict:
    return {"PUBLIC_BASE_URL": BASE}


class Recorder:
    """A backend that keeps what it is asked to send, optionally failing first."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.emails = []
        self.sms = []
        self.lock = threading.Lock()

    def _maybe_fail(self) -> None:
        with self.lock:
            if self.fail:
                self.fail -= 1
                raise ConnectionRefusedError("server away")

    def send_email(self, message) -> None:
        self._maybe_fail()
        with self.lock:
            self.emails.append(message)

    def send_sms(self, to: str, text: str) -> None:
        self._maybe_fail()
        with self.lock:
            self.sms.append((to, text))


@pytest.fixture
def recorder(app) -> Recorder:
    backend = Recorder()
    app.config["NOTIFY_BACKEND_EMAIL"] = backend
    app.config["NOTIFY_BACKEND_SMS"] = backend
    return backend


def _message(kind: str, booking: Booking, session: Occurrence | None = None) -> OutboxMessage:
    message = OutboxMessage(
        kind=kind,
        booking_id=booking.id,
        session_id=session.id if session else None,
        created_at=clock.now(),
        next_attempt_at=clock.now(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def _messages(kind: str | None = None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


# --- composing ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(MessageKind))
def test_every_kind_composes_in_english_with_the_manage_link(app, frozen_clock, kind):
    session = make_session(make_activity(name="Lektiecafé", default_capacity=10))
    booking = make_booking(
        session, people=["Amina", "Omar"], email="leila@example.org", locale="en"
    )
    message = _message(kind, booking, session if kind != "booking_confirmed" else None)
    manage = f"{BASE}/b/{booking.manage_token}"

    email = compose_email(message, booking, at=clock.now())
    assert "Lektiecafé" in email["Subject"]
    assert email["To"].addresses[0].addr_spec == "leila@example.org"
    assert email["Content-Language"] == "en"
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert text.startswith("Hello Test Contact,")
    assert manage in text and manage in html
    assert "Thursday, November 26, 2026" in text  # the session's date, in English
    assert "\n\n\n" not in text
    pngs = [p for p in email.walk() if p.get_content_type() == "image/png"]
    ics = [p for p in email.walk() if p.get_content_type() == "text/calendar"]
    if kind in ("booking_confirmed", "waitlist_promoted", "reminder", "tickets"):
        assert len(pngs) == 2 and len(ics) == 1
        assert "Amina" in text and f"{BASE}/t/" in text
    else:
        assert pngs == []
        assert len(ics) == (1 if kind == "session_cancelled" else 0)

    sms = compose_sms(message, booking, at=clock.now())
    assert sms.to == booking.contact_phone.replace(" ", "")  # E.164
    assert sms.text.startswith("Nordby: ") and sms.text.endswith(manage)
    assert "Lektiecafé" in sms.text and len(sms.text) <= 320 and "\n" not in sms.text


def test_danish_is_the_default_and_unknown_languages_fall_back_to_it(app, frozen_clock):
    session = make_session()
    danish = make_booking(session, email="a@example.org")  # ContactDetails default: "da"
    other = make_booking(session, email="b@example.org", locale="xx")
    somali = make_booking(session, email="c@example.org", locale="so")
    for booking, locale in ((danish, "da"), (other, "da"), (somali, "so")):
        email = compose_email(_message("tickets", booking), booking, at=clock.now())
        assert email["Content-Language"] == locale
        html = email.get_body(("html",)).get_content()
        assert f'<html lang="{locale}" dir="ltr">' in html
    text = compose_email(_message("reminder", danish, session), danish, at=clock.now())
    # Dates come from CLDR, so they are Danish even before the catalog has the new texts.
    assert "torsdag den 26. november 2026" in text.get_body(("plain",)).get_content()


def test_arabic_mail_is_right_to_left(app, frozen_clock):
    booking = make_booking(make_session(), email="a@example.org", locale="ar")
    email = compose_email(_message("tickets", booking), booking, at=clock.now())
    assert 'dir="rtl"' in email.get_body(("html",)).get_content()


def test_confirmation_for_a_partly_waitlisted_series_lists_each_date(app, frozen_clock):
    activity = make_activity(default_capacity=1)
    first = make_session(activity, starts_in=timedelta(days=2))
    make_session(activity, starts_in=timedelta(days=9))
    make_booking(first, people=["Holder"])
    booking = make_booking(first, people=["Amina"], email="a@example.org", locale="en")
    text = compose_email(_message("booking_confirmed", booking), booking, at=clock.now())
    assert "on the waiting list" in text.get_body(("plain",)).get_content()


# --- channel -----------------------------------------------------------------------------


def test_channel_is_email_when_there_is_an_address_else_sms(app, frozen_clock):
    session = make_session()
    both = make_booking(session, email="a@example.org")
    phone_only = make_booking(session)
    email_only = make_booking(session, phone=None, email="b@example.org")
    assert choose_channel(_message("tickets", both), both) == "email"
    assert choose_channel(_message("tickets", phone_only), phone_only) == "sms"
    resend = _message("tickets", both)
    resend.channel = "sms"
    assert choose_channel(resend, both) == "sms"
    resend = _message("tickets", email_only)
    resend.channel = "sms"
    with pytest.raises(CannotCompose):
        choose_channel(resend, email_only)


def test_sms_payload_template_escapes_values(app):
    body = build_sms_payload(
        '{"recipients": ["{to}"], "message": "{text}", "from": "{sender}", "flash": false}',
        to="+4520123456",
        text='Say "hi"\nto {everyone} \\o/',
        sender="Nordby",
    )
    import json

    assert json.loads(body) == {
        "recipients": ["+4520123456"],
        "message": 'Say "hi"\nto {everyone} \\o/',
        "from": "Nordby",
        "flash": False,
    }


# --- delivery ----------------------------------------------------------------------------


def test_booking_queues_one_confirmation_or_waitlist_message(app, frozen_clock):
    session = make_session(capacity=1)
    make_booking(session)
    make_booking(session)
    assert [m.kind for m in _messages()] == ["booking_confirmed", "booking_waitlisted"]


def test_delivery_marks_sent_and_sends_once(app, frozen_clock, recorder):
    make_booking(make_session(), email="a@example.org")
    make_booking(make_session())
    db.session.commit()
    report = deliver_pending(at=clock.now())
    assert (report.sent, report.failed) == (2, 0)
    assert len(recorder.emails) == 1 and len(recorder.sms) == 1
    assert all(m.sent_at == clock.now() and m.attempts == 1 for m in _messages())
    assert deliver_pending(at=frozen_clock.advance(hours=1)).sent == 0


def test_failed_send_is_retried_with_backoff(app, frozen_clock, recorder):
    booking = make_booking(make_session(), email="a@example.org")
    db.session.commit()
    start = clock.now()
    recorder.fail = 2

    report = deliver_pending(at=start)
    assert (report.sent, report.failed) == (0, 1)
    (message,) = _messages()
    assert message.attempts == 1 and message.sent_at is None
    assert "ConnectionRefusedError: server away" in message.last_error
    assert message.next_attempt_at == start + timedelta(minutes=1)
    assert message_status(message, max_attempts=6) == "retrying"
    assert deliver_pending(at=start + timedelta(seconds=59)).failed == 0  # not due yet

    assert deliver_pending(at=start + timedelta(minutes=1)).failed == 1
    (message,) = _messages()
    assert message.next_attempt_at == start + timedelta(minutes=1 + 5)

    report = deliver_pending(at=start + timedelta(minutes=6))
    assert report.sent == 1
    (message,) = _messages()
    assert message.attempts == 3 and message.last_error is None
    assert message.sent_at == start + timedelta(minutes=6)
    assert len(recorder.emails) == 1
    # The booking was never touched by the failures.
    assert db.session.get(Booking, booking.id).seat_rows[0].status == "confirmed"


def test_gives_up_after_max_attempts_and_keeps_the_error(app, frozen_clock, recorder):
    app.config["NOTIFY_MAX_ATTEMPTS"] = 2
    make_booking(make_session(), email="a@example.org")
    db.session.commit()
    recorder.fail = 5
    deliver_pending(at=clock.now())
    report = deliver_pending(at=frozen_clock.advance(minutes=1))
    assert report.given_up == 1
    (message,) = _messages()
    assert message.attempts == 2 and "server away" in message.last_error
    assert message_status(message, max_attempts=2) == "given_up"
    assert deliver_pending(at=frozen_clock.advance(days=1)).sent == 0
    assert recorder.emails == []


def test_failing_backend_never_undoes_the_booking(app, frozen_clock):
    class Broken:
        def send_email(self, message):
            raise RuntimeError("smtp exploded")

    app.config["NOTIFY_BACKEND_EMAIL"] = Broken()
    session = make_session(capacity=5)
    booking = make_booking(session, people=["A", "B"], email="a@example.org")
    db.session.commit()
    assert deliver_pending(at=clock.now()).failed == 1
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).seat_rows[0].status == "confirmed"
    assert db.session.get(Occurrence, session.id).seats_taken == 2


def test_message_no_longer_needed_is_not_sent(app, frozen_clock, recorder):
    booking = make_booking(make_session(), email="a@example.org")
    cancel_booking(booking, at=clock.now())  # by the resident: no message about it
    db.session.commit()
    report = deliver_pending(at=clock.now())
    assert (report.sent, report.given_up) == (0, 1)
    (message,) = _messages()
    assert message_status(message, max_attempts=6) == "not_needed"
    assert recorder.emails == []


def test_two_concurrent_runs_send_each_message_once(app, frozen_clock):
    sent: list[str] = []
    lock = threading.Lock()

    class Slow:
        def send_email(self, message):
            time.sleep(0.005)  # a send takes a while: the two runs overlap
            with lock:
                sent.append(message["To"].addresses[0].addr_spec)

    app.config["NOTIFY_BACKEND_EMAIL"] = Slow()
    session = make_session(capacity=None)
    for n in range(24):
        make_booking(session, email=f"household{n}@example.org")
    db.session.commit()
    at = clock.now()
    start = Barrier(2)

    def run():
        with app.app_context():
            start.wait(timeout=30)
            return deliver_pending(at=at, limit=100)

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda _: run(), range(2)))

    assert sorted(sent) == sorted(f"household{n}@example.org" for n in range(24))
    assert sum(r.sent for r in reports) == 24
    assert sum(r.skipped for r in reports) <= 24  # what one run sent, the other skipped
    assert all(m.sent_at is not None and m.attempts == 1 for m in _messages())


# --- reminders ---------------------------------------------------------------------------


def test_reminders_only_for_confirmed_coming_sessions_within_the_window(app, frozen_clock):
    soon = make_session(starts_in=timedelta(hours=30), capacity=1)
    later = make_session(starts_in=timedelta(hours=60))
    confirmed = make_booking(soon, email="a@example.org")
    waitlisted = make_booking(soon)
    cancelled_session = make_session(starts_in=timedelta(hours=30))
    cancelled = make_booking(cancelled_session)
    make_booking(later)
    frozen_clock.advance(hours=10)  # soon now starts in 20 hours, later in 50
    cancel_booking(cancelled, at=clock.now())
    booked_late = make_booking(make_session(starts_in=timedelta(hours=5)))
    past = make_session(starts_in=timedelta(hours=1))
    make_booking(past)
    frozen_clock.advance(hours=2)  # past has started

    assert queue_reminders(at=clock.now()) == 1
    reminders = _messages("reminder")
    assert [(m.booking_id, m.session_id) for m in reminders] == [(confirmed.id, soon.id)]
    assert waitlisted.id not in {m.booking_id for m in reminders}
    assert booked_late.id not in {m.booking_id for m in reminders}
    assert queue_reminders(at=frozen_clock.advance(minutes=5)) == 0
    assert len(_messages("reminder")) == 1


def test_send_reminders_twice_sends_one_email(app, frozen_clock):
    session = make_session(starts_in=timedelta(hours=30))
    make_booking(session, email="leila@example.org", locale="en")
    db.session.commit()
    with smtp_server() as inbox:
        app.config.update(
            NOTIFY_BACKEND_EMAIL="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox.port
        )
        runner = app.test_cli_runner()
        first = runner.invoke(args=["send-reminders"])
        assert first.exit_code == 0, first.output
        assert "Reminders queued: 0" in first.output  # too early; the confirmation goes out
        assert [m["Subject"] for m in inbox.messages] == [
            f"You are signed up: {session.activity.name}"
        ]

        frozen_clock.advance(hours=8)
        first = runner.invoke(args=["send-reminders"])
        frozen_clock.advance(minutes=5)
        second = runner.invoke(args=["send-reminders"])

    assert "Reminders queued: 1" in first.output and "sent 1" in first.output
    assert "Reminders queued: 0" in second.output and "sent 0" in second.output
    subjects = [m["Subject"] for m in inbox.messages]
    assert len(subjects) == 2 and subjects[1].startswith("Reminder: ")
    assert inbox.recipients[1] == ["leila@example.org"]


def test_send_outbox_command_prints_counts(app, frozen_clock, recorder):
    make_booking(make_session())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 0
    assert "Messages: sent 1, failed 0 (will retry), given up 0, skipped 0" in result.output
    assert len(recorder.sms) == 1


# --- resending tickets -------------------------------------------------------------------


def test_resend_tickets_queues_a_message_and_audits(app, frozen_clock):
    staff = make_user("staff")
    booking = make_booking(make_session(), email="a@example.org")
    first = resend_tickets(booking, channel="sms", by=staff, at=clock.now())
    second = resend_tickets(booking, channel="email", by=staff, at=clock.now())
    assert first.id != second.id  # tickets may be resent any number of times
    assert (first.kind, first.channel, first.created_by_id) == ("tickets", "sms", staff.id)
    audit = audit_log()
    assert [(a.action, a.object_id, a.details) for a in audit] == [
        ("booking.tickets_resent", booking.id, {"channel": "sms"}),
        ("booking.tickets_resent", booking.id, {"channel": "email"}),
    ]


def test_resend_needs_an_address_for_the_channel(app, frozen_clock):
    booking = make_booking(make_session())
    with pytest.raises(DomainError) as error:
        resend_tickets(booking, channel="email", by=None, at=clock.now())
    assert error.value.code == "no_email"
    assert len(audit_log()) == 0
