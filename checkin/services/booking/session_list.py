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
from typing import Literal, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from checkin.extensions import db
from checkin.models import Attendee, Booking, BookingSession, CheckIn, Occurrence
from checkin.vocabulary import SeatStatus, SessionStatus

WALK_IN: Literal["walk_in"] = "walk_in"
# A booked person's seat status, or "walk_in" for someone who came without a seat here.
ListStatus = SeatStatus | Literal["walk_in"]
_ORDER: dict[ListStatus, int] = {
    SeatStatus.CONFIRMED: 0,
    WALK_IN: 1,
    SeatStatus.WAITLISTED: 2,
    SeatStatus.CANCELLED: 3,
}


@dataclass(frozen=True)
class ListRow:
    attendee: Attendee
    booking: Booking | None
    status: ListStatus
    check_in: CheckIn | None
    no_show: bool


class ListCounts(TypedDict):
    confirmed: int
    waitlisted: int
    cancelled: int
    checked_in: int
    walk_ins: int
    no_shows: int
    headcount: int


@dataclass
class SessionList:
    session: Occurrence
    ended: bool
    rows: list[ListRow] = field(default_factory=list)
    headcount: int = 0  # anonymous people counted at the door

    def count(self, status: ListStatus) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def counts(self) -> ListCounts:
        rows = self.rows
        return {
            "confirmed": self.count(SeatStatus.CONFIRMED),
            "waitlisted": self.count(SeatStatus.WAITLISTED),
            "cancelled": self.count(SeatStatus.CANCELLED),
            "checked_in": sum(r.check_in is not None and r.status != WALK_IN for r in rows),
            "walk_ins": self.count(WALK_IN),
            "no_shows": sum(row.no_show for row in rows),
            "headcount": self.headcount,
        }


def _person_status(attendee: Attendee, seat: BookingSession, session: Occurrence) -> SeatStatus:
    # A person cancelled before the session no longer held a seat there, even when the row
    # (kept for the rest of the household) is still confirmed.
    if attendee.cancelled_at is not None and attendee.cancelled_at <= session.starts_at:
        return SeatStatus.CANCELLED
    return seat.status


def build_session_list(session: Occurrence, *, at: datetime) -> SessionList:
    """Every person booked at ``session`` (any seat status) and every walk-in checked in there,
    with their active check-in, and a no-show flag computed as described above."""
    ended = session.ends_at <= at and session.status == SessionStatus.SCHEDULED
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
            no_show = ended and status == SeatStatus.CONFIRMED and check_in is None
            result.rows.append(ListRow(attendee, seat.booking, status, check_in, no_show))
            listed.add(attendee.id)
    for attendee_id, check_in in by_attendee.items():
        walked_in = check_in.attendee
        if attendee_id not in listed and walked_in is not None:
            result.rows.append(ListRow(walked_in, walked_in.booking, WALK_IN, check_in, False))
    result.rows.sort(key=lambda r: (_ORDER[r.status], (r.attendee.first_name or "").lower()))
    return result
