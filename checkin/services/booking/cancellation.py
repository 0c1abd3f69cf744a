"""Cancelling a whole booking or one person on it, and what that frees."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from checkin.extensions import db
from checkin.models import Attendee, Booking, BookingSession, Occurrence, User, WaitlistEntry
from checkin.services.booking.signup import release_seats
from checkin.services.booking.waitlist import promote_waitlist
from checkin.services.errors import DomainError
from checkin.services.notify.outbox import enqueue_message
from checkin.vocabulary import MessageKind, SeatStatus, WaitlistResolution


def _coming_seat_rows(booking: Booking, *, at: datetime) -> list[BookingSession]:
    """The booking's seat rows at sessions that have not started: the past stays as it was."""
    return list(
        db.session.scalars(
            select(BookingSession)
            .join(Occurrence, Occurrence.id == BookingSession.session_id)
            .where(
                BookingSession.booking_id == booking.id,
                BookingSession.status != SeatStatus.CANCELLED,
                Occurrence.starts_at > at,
            )
            .order_by(Occurrence.starts_at)
        )
    )


def _shrink(seat_row: BookingSession, seats: int, *, at: datetime) -> Occurrence | None:
    """Take ``seats`` off a seat row; returns the session when confirmed seats were freed."""
    seat_row.seats -= seats
    seat_row.updated_at = at
    freed = None
    if seat_row.status == SeatStatus.CONFIRMED:
        release_seats(seat_row.session_id, seats)
        freed = seat_row.session
    elif seat_row.status == SeatStatus.WAITLISTED:
        entry = db.session.scalar(
            select(WaitlistEntry).where(
                WaitlistEntry.booking_id == seat_row.booking_id,
                WaitlistEntry.session_id == seat_row.session_id,
                WaitlistEntry.resolved_at.is_(None),
            )
        )
        if entry is not None and seat_row.seats > 0:
            entry.seats = seat_row.seats
        elif entry is not None:
            db.session.execute(
                update(WaitlistEntry)
                .where(WaitlistEntry.id == entry.id)
                .values(resolved_at=at, resolution=WaitlistResolution.CANCELLED)
                .execution_options(synchronize_session=False)
            )
    if seat_row.seats == 0:
        seat_row.status = SeatStatus.CANCELLED
    return freed


def _promote_all(sessions: list[Occurrence], *, at: datetime) -> None:
    db.session.flush()
    for session in sessions:
        promote_waitlist(session, at=at)


def cancel_attendee(
    booking: Booking, attendee: Attendee, *, at: datetime, by: User | None = None
) -> None:
    """Cancel one person: their seat at every coming session is freed and offered to the
    waiting list. Cancelling the last person cancels the booking."""
    if attendee.booking_id != booking.id:
        raise DomainError("not_found", _l("This person is not on the booking."))
    if attendee.cancelled_at is not None:
        raise DomainError("already_cancelled", _l("This person is already cancelled."))
    active = [a for a in booking.attendees if a.cancelled_at is None]
    if len(active) == 1:
        cancel_booking(booking, at=at, by=by)
        return
    attendee.cancelled_at = at
    freed = [s for row in _coming_seat_rows(booking, at=at) if (s := _shrink(row, 1, at=at))]
    _promote_all(freed, at=at)


def cancel_booking(booking: Booking, *, at: datetime, by: User | None = None) -> None:
    """Cancel every coming seat of the booking, free them and promote the waiting list. When
    staff cancel (``by`` given), the resident is told."""
    if booking.cancelled_at is not None:
        raise DomainError("already_cancelled", _l("This booking is already cancelled."))
    booking.cancelled_at = at
    if by is not None:
        enqueue_message(MessageKind.BOOKING_CANCELLED, booking, at=at)
    for attendee in booking.attendees:
        if attendee.cancelled_at is None:
            attendee.cancelled_at = at
    freed = [
        s for row in _coming_seat_rows(booking, at=at) if (s := _shrink(row, row.seats, at=at))
    ]
    _promote_all(freed, at=at)
