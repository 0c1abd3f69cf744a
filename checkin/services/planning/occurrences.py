"""Sessions (``Occurrence``): planned, changed, resized and cancelled.

Capacity changes use one guarded UPDATE, like taking seats: the new capacity is written only if
it still holds every seat taken at that moment, so a sign-up racing the change can never leave
more confirmed seats than capacity."""

from __future__ import annotations

from datetime import datetime
from types import EllipsisType

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select, update

from checkin.database import rows_changed
from checkin.extensions import db
from checkin.models import (
    Activity,
    Booking,
    BookingSession,
    Occurrence,
    User,
    WaitlistEntry,
)
from checkin.services.audit import record_audit
from checkin.services.booking.signup import release_seats
from checkin.services.booking.waitlist import promote_waitlist
from checkin.services.errors import DomainError
from checkin.services.notify.outbox import enqueue_message
from checkin.vocabulary import (
    MessageKind,
    SeatStatus,
    SessionStatus,
    WaitlistResolution,
)

MAX_CAPACITY = 10_000  # seats at one session: more is a typo, and any INTEGER column holds it


def check_capacity(capacity: int | None) -> None:
    """A capacity is no limit (None) or from 0 to ``MAX_CAPACITY`` seats."""
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            "invalid_capacity",
            _l("The number of seats must be from 0 to %(max)d.", max=MAX_CAPACITY),
            field="capacity",
        )


def create_session(
    activity: Activity,
    *,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int | EllipsisType | None = ...,  # ...: the activity's default capacity
    place: str | None = None,
) -> Occurrence:
    """A dated occurrence. Capacity defaults to the activity's (see ``check_capacity``); it
    must end after it starts."""
    if ends_at <= starts_at:
        raise DomainError("invalid_time", _l("The end must be after the start."), field="ends_at")
    if capacity is not ...:
        check_capacity(capacity)
    session = Occurrence(
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=activity.default_capacity if capacity is ... else capacity,
        seats_taken=0,
        place=place,
        status=SessionStatus.SCHEDULED,
    )
    db.session.add(session)
    db.session.flush()
    return session


def update_session(
    session: Occurrence,
    *,
    starts_at: datetime,
    ends_at: datetime,
    place: str | None,
    note: str | None,
    at: datetime,
    by: User | None,
) -> None:
    """Move a session in time or change its place; it must still end after it starts. Capacity
    changes go through ``change_capacity``."""
    if ends_at <= starts_at:
        raise DomainError("invalid_time", _l("The end must be after the start."), field="ends_at")
    session.starts_at, session.ends_at, session.place, session.note = (
        starts_at,
        ends_at,
        place,
        note,
    )
    db.session.flush()
    record_audit("update_session", by=by, at=at, object_type="session", object_id=session.id)


def change_capacity(
    session: Occurrence, capacity: int | None, *, at: datetime, by: User | None
) -> list[Booking]:
    """Set a session's capacity (None: no limit). Refused below the seats already taken and on
    a cancelled session; when raised, the freed room goes to the waiting list in order."""
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError("session_cancelled", _l("This session is cancelled."))
    check_capacity(capacity)
    guard: list[ColumnElement[bool]] = [Occurrence.id == session.id]
    if capacity is not None:
        guard.append(Occurrence.seats_taken <= capacity)
    changed = rows_changed(
        update(Occurrence)
        .where(*guard)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(session, ["capacity", "seats_taken"])
    if changed != 1:
        raise DomainError(
            "below_taken",
            _l("%(n)d seats are taken: the capacity cannot be lower.", n=session.seats_taken),
            field="capacity",
        )
    record_audit(
        "change_capacity", by=by, at=at, object_type="session", object_id=session.id, to=capacity
    )
    return promote_waitlist(session, at=at)


def cancel_session(session: Occurrence, *, reason: str, at: datetime, by: User | None) -> int:
    """Cancel a session that has not ended: every seat there is released, every waiting entry
    closed, and each household holding seats (confirmed or waiting) is told once. Booking rows
    stay, marked cancelled, so the history shows what was planned. Returns households told."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _l("Write why it is cancelled."), field="reason")
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("already_cancelled", _l("This session is already cancelled."))
    if session.ends_at <= at:
        raise DomainError("session_over", _l("This session is over."))
    session.status, session.cancelled_at = SessionStatus.CANCELLED, at
    session.cancel_reason = reason[:200]
    db.session.flush()
    db.session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.session_id == session.id, WaitlistEntry.resolved_at.is_(None))
        .values(resolved_at=at, resolution=WaitlistResolution.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    rows = db.session.scalars(
        select(BookingSession).where(
            BookingSession.session_id == session.id, BookingSession.status != SeatStatus.CANCELLED
        )
    ).all()
    told = 0
    for row in rows:
        if row.status == SeatStatus.CONFIRMED:
            release_seats(session.id, row.seats)
        row.status, row.updated_at = SeatStatus.CANCELLED, at
        if row.booking.cancelled_at is None and row.booking.anonymized_at is None:
            enqueue_message(MessageKind.SESSION_CANCELLED, row.booking, session=session, at=at)
            told += 1
    db.session.flush()
    db.session.expire(session, ["seats_taken"])
    record_audit(
        "cancel_session", by=by, at=at, object_type="session", object_id=session.id, told=told
    )
    return told
