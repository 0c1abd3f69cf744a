"""Telling residents: delivering the outbox by e-mail or SMS, reminders, resent tickets.

Messages are rows (``OutboxMessage``) written in the transaction that causes them, so a booking
never waits for, nor is undone by, a mail server. ``deliver_pending`` sends what is due. It is a
job, not a request: it commits once per message, because each send is a side effect outside the
database that no rollback can take back; recording it at once is what keeps a message from
going out twice.

Two runs never send one message twice: a run first *claims* a row with one guarded UPDATE
(``next_attempt_at`` moves forward by a lease, ``attempts`` goes up) and commits; only the run
whose UPDATE changed the row sends it. A run that dies mid-send leaves the lease to expire, and
the message is tried again later (at most ``NOTIFY_MAX_ATTEMPTS`` times in all). So delivery is
at most once per claim; only a crash between a successful send and its commit can repeat one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update

from checkin.database import rows_changed
from checkin.extensions import db
from checkin.models import Booking, BookingSession, Occurrence, OutboxMessage, User
from checkin.services.audit import record_audit
from checkin.services.errors import DomainError
from checkin.services.notify.backends import email_backend, sms_backend
from checkin.services.notify.compose import (
    CannotCompose,
    choose_channel,
    compose_email,
    compose_sms,
)
from checkin.services.notify.outbox import enqueue_message
from checkin.vocabulary import Channel, MessageKind, SeatStatus, SessionStatus

log = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, ... failed attempt (the last value repeats).
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
# How long a claimed message is left to its run before another run may try it.
LEASE = timedelta(minutes=10)
# last_error of a message that was not sent because it no longer applies.
NOT_NEEDED = "not needed: "
# Kinds that lose their point once the booking is cancelled.
_VOID_WHEN_CANCELLED = frozenset(
    {
        MessageKind.BOOKING_CONFIRMED,
        MessageKind.BOOKING_WAITLISTED,
        MessageKind.WAITLIST_PROMOTED,
        MessageKind.REMINDER,
        MessageKind.TICKETS,
    }
)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # will be retried
    given_up: int = 0  # reached the attempt limit, or can never be sent
    skipped: int = 0  # claimed by another run first

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, failed {self.failed} (will retry), "
            f"given up {self.given_up}, skipped {self.skipped}"
        )


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return timedelta(minutes=BACKOFF_MINUTES[index])


def message_status(message: OutboxMessage, *, max_attempts: int) -> str:
    """sent / not_needed / given_up / retrying / pending, for staff pages."""
    if message.sent_at is not None:
        return "sent"
    if (message.last_error or "").startswith(NOT_NEEDED):
        return "not_needed"
    if message.attempts >= max_attempts:
        return "given_up"
    return "retrying" if message.attempts else "pending"


def _max_attempts() -> int:
    return int(current_app.config["NOTIFY_MAX_ATTEMPTS"])


def _claim(message_id: int, *, at: datetime, max_attempts: int) -> bool:
    """Take a due message for this run, in a transaction of its own; True when this run got
    it. The row count decides: of two runs, the second finds the row no longer due."""
    changed = rows_changed(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= at,
            OutboxMessage.attempts < max_attempts,
        )
        .values(next_attempt_at=at + LEASE, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return changed == 1


def _why_not_needed(message: OutboxMessage, booking: Booking, *, at: datetime) -> str | None:
    if booking.anonymized_at is not None:
        return "booking anonymised"
    if booking.cancelled_at is not None and message.kind in _VOID_WHEN_CANCELLED:
        return "booking cancelled"
    if message.kind == MessageKind.REMINDER and message.session_id is not None:
        row = next((r for r in booking.seat_rows if r.session_id == message.session_id), None)
        if (
            row is None
            or row.status != SeatStatus.CONFIRMED
            or row.session.status != SessionStatus.SCHEDULED
        ):
            return "no confirmed seat"
        if row.session.starts_at <= at:
            return "session has started"
    return None


def _send(message: OutboxMessage, *, at: datetime) -> None:
    booking = message.booking
    reason = _why_not_needed(message, booking, at=at)
    if reason:
        raise CannotCompose(reason)
    channel = choose_channel(message, booking)
    instance = current_app.instance_path
    if channel == Channel.EMAIL:
        email = compose_email(message, booking, at=at)
        email_backend(current_app.config, instance).send_email(email)
    else:
        sms = compose_sms(message, booking, at=at)
        sms_backend(current_app.config, instance).send_sms(sms.to, sms.text)


def _deliver_one(
    message_id: int, *, at: datetime, max_attempts: int, report: DeliveryReport
) -> None:
    if not _claim(message_id, at=at, max_attempts=max_attempts):
        report.skipped += 1
        return
    message = db.session.get_one(OutboxMessage, message_id)
    try:
        _send(message, at=at)
    except CannotCompose as error:
        db.session.rollback()
        message = db.session.get_one(OutboxMessage, message_id)
        message.attempts = max(message.attempts, max_attempts)
        message.last_error = NOT_NEEDED + str(error)
        report.given_up += 1
    except Exception as error:  # noqa: BLE001  (any failure of a send is recorded, not raised)
        db.session.rollback()
        message = db.session.get_one(OutboxMessage, message_id)
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.next_attempt_at = at + backoff(message.attempts)
        if message.attempts >= max_attempts:
            report.given_up += 1
            log.error("Giving up message %s after %s attempts: %s", message_id, max_attempts, error)
        else:
            report.failed += 1
            log.warning("Message %s failed (attempt %s): %s", message_id, message.attempts, error)
    else:
        message.sent_at = at
        message.last_error = None
        report.sent += 1
    db.session.commit()


def deliver_messages(ids: Iterable[int], *, at: datetime) -> DeliveryReport:
    """Send those of ``ids`` that are due, each at most once across concurrent runs.
    Commits per message (see the module's docstring)."""
    report = DeliveryReport()
    max_attempts = _max_attempts()
    db.session.commit()  # a claim must start a fresh transaction (SQLite: no stale snapshot)
    for message_id in ids:
        _deliver_one(message_id, at=at, max_attempts=max_attempts, report=report)
    return report


def deliver_pending(*, at: datetime, limit: int = 100) -> DeliveryReport:
    """Send up to ``limit`` due messages (unsent, due by ``at``, attempts left), oldest first.
    A failed send is retried after 1, 5, 15, 60, then every 240 minutes until
    ``NOTIFY_MAX_ATTEMPTS`` attempts; then it is given up and keeps its last error."""
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= at,
            OutboxMessage.attempts < _max_attempts(),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    return deliver_messages(ids, at=at)


def queue_reminders(*, at: datetime) -> int:
    """Queue a reminder for every confirmed seat at a scheduled session starting within
    ``REMINDER_HOURS`` after ``at``, once per booking and session (a unique index makes it
    once, however often this runs). A household that booked inside that window already has
    its confirmation and is not reminded. Returns how many reminders were queued."""
    window = timedelta(hours=float(current_app.config["REMINDER_HOURS"]))
    already = exists().where(
        OutboxMessage.kind == MessageKind.REMINDER,
        OutboxMessage.booking_id == BookingSession.booking_id,
        OutboxMessage.session_id == BookingSession.session_id,
    )
    rows = db.session.execute(
        select(BookingSession, Occurrence)
        .join(Occurrence, Occurrence.id == BookingSession.session_id)
        .join(Booking, Booking.id == BookingSession.booking_id)
        .where(
            BookingSession.status == SeatStatus.CONFIRMED,
            Occurrence.status == SessionStatus.SCHEDULED,
            Occurrence.starts_at > at,
            Occurrence.starts_at <= at + window,
            Booking.cancelled_at.is_(None),
            Booking.anonymized_at.is_(None),
            ~already,
        )
        .order_by(Occurrence.starts_at, BookingSession.id)
    ).all()
    queued = 0
    for seat_row, session in rows:
        if seat_row.created_at >= session.starts_at - window:
            continue
        enqueue_message(MessageKind.REMINDER, seat_row.booking, session=session, at=at)
        queued += 1
    db.session.flush()
    return queued


def resend_tickets(
    booking: Booking, *, channel: Channel, by: User | None, at: datetime
) -> OutboxMessage:
    """Queue the booking's tickets again by ``channel`` (e-mail or SMS), on a staff user's
    request. The booking needs an address for that channel; the resend is audited."""
    channel = Channel(channel)  # refuses an unknown channel (ValueError)
    if booking.anonymized_at is not None or booking.cancelled_at is not None:
        raise DomainError("booking_inactive", _l("This booking has no tickets to send."))
    if channel == Channel.EMAIL and not booking.contact_email:
        raise DomainError("no_email", _l("This booking has no e-mail address."))
    if channel == Channel.SMS and not booking.contact_phone:
        raise DomainError("no_phone", _l("This booking has no phone number."))
    message = enqueue_message(MessageKind.TICKETS, booking, at=at)
    message.channel = channel
    message.created_by_id = by.id if by else None
    record_audit(
        "booking.tickets_resent",
        by=by,
        at=at,
        object_type="booking",
        object_id=booking.id,
        channel=channel,
    )
    db.session.flush()
    return message
