"""The staff list of one session: who is booked, their status, who came, who did not.

No-shows are derived, never stored: a person is a no-show when their booking holds a confirmed
seat at a session that has ended and they have no active check-in there. So there is no flag
to "mark": the list shows them once the session is over, and when someone did come but was not
scanned, staff correct it by registering the attendance afterwards (the paper-list entry), which
adds a check-in row and the person stops being a no-show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from checkin.extensions import db
from checkin.models import Attendee, Booking, BookingSession, CheckIn, Occurrence


@dataclass(frozen=True)
class ListRow:
    attendee: Attendee
    booking: Booking | None
    status: str  # confirmed / waitlisted / cancelled / walk_in
    check_in: CheckIn | None
    no_show: bool


@dataclass
class SessionList:
    session: Occurrence
    ended: bool
    rows: list[ListRow] = field(default_factory=list)
    headcount: int = 0  # anonymous people counted at the door

    def count(self, **wanted) -> int:
        return sum(all(getattr(r, k) == v for k, v in wanted.items()) for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        rows = self.rows
        return {
            "confirmed": self.count(status="confirmed"),
            "waitlisted": self.count(status="waitlisted"),
            "cancelled": self.count(status="cancelled"),
            "checked_in": sum(r.check_in is not None and r.status != "walk_in" for r in rows),
            "walk_ins": self.count(status="walk_in"),
            "no_shows": self.count(no_show=True),
            "headcount": self.headcount,
        }


def _person_status(attendee: Attendee, seat: BookingSession, session: Occurrence) -> str:
    # A person cancelled before the session no longer held a seat there, even when the row
    # (kept for the rest of the household) is still confirmed.
    if attendee.cancelled_at is not None and attendee.cancelled_at <= session.starts_at:
        return "cancelled"
    return seat.status


def build_session_list(session: Occurrence, *, at: datetime) -> SessionList:
    """Every person booked at ``session`` (any seat status) and every walk-in checked in there,
    with their active check-in, and a no-show flag computed as described above."""
    ended = session.ends_at <= at and session.status == "scheduled"
    check_ins = db.session.scalars(
        select(CheckIn).where(CheckIn.session_id == session.id, CheckIn.undone_at.is_(None))
    ).all()
    by_attendee = {c.attendee_id: c for c in check_ins if c.attendee_id is not None}
    result = SessionList(session=session, ended=ended)
    result.headcount = sum(c.count for c in check_ins if c.attendee_id is None)
    seats = db.session.scalars(
        select(BookingSession)
        .options(selectinload(BookingSession.booking).selectinload(Booking.attendees))
        .where(BookingSession.session_id == session.id)
        .order_by(BookingSession.id)
    ).all()
    listed: set[int] = set()
    for seat in seats:
        for attendee in seat.booking.attendees:
            status = _person_status(attendee, seat, session)
            check_in = by_attendee.get(attendee.id)
            no_show = ended and status == "confirmed" and check_in is None
            result.rows.append(ListRow(attendee, seat.booking, status, check_in, no_show))
            listed.add(attendee.id)
    for attendee_id, check_in in by_attendee.items():
        if attendee_id not in listed:
            attendee = check_in.attendee
            result.rows.append(ListRow(attendee, attendee.booking, "walk_in", check_in, False))
    order = {"confirmed": 0, "walk_in": 1, "waitlisted": 2, "cancelled": 3}
    result.rows.sort(key=lambda r: (order[r.status], (r.attendee.first_name or "").lower()))
    return result
