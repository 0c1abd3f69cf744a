"""The waiting list: households wait in order of arrival and get seats exactly once."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from checkin.database import rows_changed
from checkin.extensions import db
from checkin.models import Booking, BookingSession, Occurrence, WaitlistEntry
from checkin.services.booking.signup import take_seats
from checkin.services.errors import DomainError
from checkin.services.notify.outbox import enqueue_message
from checkin.vocabulary import MessageKind, SeatStatus, WaitlistResolution


def _claim(entry: WaitlistEntry, *, resolution: WaitlistResolution, at: datetime) -> bool:
    """Close an open entry; False when another transaction closed it first. On PostgreSQL the
    row lock taken here makes a concurrent claim wait and then see the entry closed."""
    changed = rows_changed(
        update(WaitlistEntry)
        .where(WaitlistEntry.id == entry.id, WaitlistEntry.resolved_at.is_(None))
        .values(resolved_at=at, resolution=resolution)
        .execution_options(synchronize_session=False)
    )
    return changed == 1


def _seat_row(booking_id: int, session_id: int) -> BookingSession:
    return db.session.scalars(
        select(BookingSession).where(
            BookingSession.booking_id == booking_id, BookingSession.session_id == session_id
        )
    ).one()


def promote_waitlist(session: Occurrence, *, at: datetime) -> list[Booking]:
    """Give free seats to waiting households in order of arrival. A household that does not fit
    is passed over for a later, smaller one that does (it keeps its place). Each promoted
    household is confirmed exactly once and told through the outbox."""
    promoted: list[Booking] = []
    entries = db.session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.session_id == session.id, WaitlistEntry.resolved_at.is_(None))
        .order_by(WaitlistEntry.id)
    ).all()
    for entry in entries:
        if not _claim(entry, resolution=WaitlistResolution.PROMOTED, at=at):
            continue
        if not take_seats(session.id, entry.seats):
            # No room for this household: reopen its entry, keep its place, try the next one.
            db.session.execute(
                update(WaitlistEntry)
                .where(WaitlistEntry.id == entry.id)
                .values(resolved_at=None, resolution=None)
                .execution_options(synchronize_session=False)
            )
            continue
        seat_row = _seat_row(entry.booking_id, session.id)
        seat_row.status = SeatStatus.CONFIRMED
        seat_row.seats = entry.seats
        seat_row.updated_at = at
        booking = entry.booking
        enqueue_message(MessageKind.WAITLIST_PROMOTED, booking, session=session, at=at)
        promoted.append(booking)
    db.session.flush()
    db.session.expire(session, ["seats_taken"])
    return promoted


def leave_waitlist(booking: Booking, session: Occurrence, *, at: datetime) -> None:
    """The household no longer waits for ``session``; its seat row becomes cancelled."""
    entry = db.session.scalar(
        select(WaitlistEntry).where(
            WaitlistEntry.booking_id == booking.id,
            WaitlistEntry.session_id == session.id,
            WaitlistEntry.resolved_at.is_(None),
        )
    )
    if entry is None or not _claim(entry, resolution=WaitlistResolution.LEFT, at=at):
        raise DomainError("not_waitlisted", _l("This booking is not on the waiting list."))
    seat_row = _seat_row(booking.id, session.id)
    seat_row.status = SeatStatus.CANCELLED
    seat_row.updated_at = at
    db.session.flush()
