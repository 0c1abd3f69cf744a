"""Moving a household's seats from one date of an activity to another."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from checkin.extensions import db
from checkin.models import Booking, BookingSession, Occurrence, User, WaitlistEntry
from checkin.services.audit import record_audit
from checkin.services.booking.signup import release_seats, take_seats
from checkin.services.booking.waitlist import promote_waitlist
from checkin.services.errors import DomainError
from checkin.services.notify.outbox import enqueue_message
from checkin.vocabulary import MessageKind, SeatStatus, SessionStatus, WaitlistResolution


def _row(booking: Booking, session: Occurrence) -> BookingSession | None:
    return db.session.scalar(
        select(BookingSession).where(
            BookingSession.booking_id == booking.id, BookingSession.session_id == session.id
        )
    )


def move_booking(
    booking: Booking,
    from_session: Occurrence,
    to_session: Occurrence,
    *,
    at: datetime,
    by: User | None,
) -> BookingSession:
    """Move the booking's seats at ``from_session`` to ``to_session`` of the same activity.

    Both dates must be scheduled and not started, and the household must not already hold a
    place at the new date. The seats are taken at the new date with the guarded update first:
    when they do not all fit, nothing moves (staff are told it is full). Then the old seats are
    released and offered to the old date's waiting list, or the old waiting place is closed.
    The resident gets the tickets again, listing the new date.
    """
    if booking.cancelled_at is not None or booking.anonymized_at is not None:
        raise DomainError("booking_cancelled", _l("This booking is cancelled."))
    if to_session.activity_id != booking.activity_id or from_session.id == to_session.id:
        raise DomainError("invalid_session", _l("Choose another date of this activity."))
    for session in (from_session, to_session):
        if session.status != SessionStatus.SCHEDULED or session.starts_at <= at:
            raise DomainError(
                "session_closed", _l("Only coming dates can be changed."), field="to_session"
            )
    old = _row(booking, from_session)
    if old is None or old.status == SeatStatus.CANCELLED or old.seats <= 0:
        raise DomainError("not_booked", _l("The booking has no place on this date."))
    new = _row(booking, to_session)
    if new is not None and new.status != SeatStatus.CANCELLED:
        raise DomainError(
            "already_booked",
            _l("The booking already has a place on that date."),
            field="to_session",
        )
    seats = old.seats
    if not take_seats(to_session.id, seats):
        raise DomainError(
            "full", _l("There are not enough free seats on that date."), field="to_session"
        )
    if new is None:
        new = BookingSession(booking=booking, session=to_session, created_at=at)
        db.session.add(new)
    new.status, new.seats, new.updated_at = SeatStatus.CONFIRMED, seats, at

    was_confirmed = old.status == SeatStatus.CONFIRMED
    if was_confirmed:
        release_seats(from_session.id, seats)
    else:
        db.session.execute(
            update(WaitlistEntry)
            .where(
                WaitlistEntry.booking_id == booking.id,
                WaitlistEntry.session_id == from_session.id,
                WaitlistEntry.resolved_at.is_(None),
            )
            .values(resolved_at=at, resolution=WaitlistResolution.LEFT)
            .execution_options(synchronize_session=False)
        )
    old.status, old.updated_at = SeatStatus.CANCELLED, at
    db.session.flush()
    db.session.expire(to_session, ["seats_taken"])
    db.session.expire(from_session, ["seats_taken"])
    if was_confirmed:
        promote_waitlist(from_session, at=at)
    enqueue_message(MessageKind.TICKETS, booking, at=at)
    record_audit(
        "move_booking",
        by=by,
        at=at,
        object_type="booking",
        object_id=booking.id,
        from_session=from_session.id,
        to_session=to_session.id,
        seats=seats,
    )
    return new
