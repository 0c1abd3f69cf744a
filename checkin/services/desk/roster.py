"""What the desk reads: today's sessions, live counters, who has not arrived, name search and
the ticket list a tablet downloads to work offline. Volunteers see first names and status only:
never phone numbers, e-mails or last names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TypedDict

from sqlalchemy import ColumnElement, and_, func, select

from checkin.extensions import db
from checkin.models import (
    Attendee,
    Booking,
    BookingSession,
    CheckIn,
    DeskLink,
    Occurrence,
    User,
    VolunteerAssignment,
)
from checkin.services import clock
from checkin.services.desk.results import AttendeeRef, attendee_ref
from checkin.services.desk.scope import allowed_activities, desk_window, is_held
from checkin.services.people.matching import fold
from checkin.vocabulary import CheckInMethod, SeatStatus

SEARCH_LIMIT = 25


class SessionCounters(TypedDict):
    session_id: int
    checked_in: int  # booked people checked in
    booked: int  # confirmed seats
    capacity: int | None
    walk_ins: int
    headcount: int  # anonymous people counted
    present: int  # every attendance so far


class WaitingPerson(AttendeeRef):
    """Someone with a confirmed seat who has not arrived yet."""

    booking_id: int | None


class SearchHit(AttendeeRef):
    status: SeatStatus  # cancelled when the person is, whatever the seat row says
    checked_in: bool
    checked_in_at: str | None  # ISO 8601


class OfflineTicket(TypedDict):
    code_hash: str
    attendee_id: int
    first_name: str | None
    birth_year: int | None
    status: SeatStatus
    checked_in: bool


class OfflineHousehold(TypedDict):
    code_hash: str
    attendee_ids: list[int]


class OfflineTicketList(TypedDict):
    session_id: int
    generated_at: str  # ISO 8601
    hash: str  # the hash function naming the codes
    tickets: list[OfflineTicket]
    households: list[OfflineHousehold]


@dataclass(frozen=True)
class DeskSession:
    """A session on the desk's start page. ``opens_at`` is set while this desk may not write
    yet, ``closed`` once it may no longer (``desk.scope``); staff see neither."""

    session: Occurrence
    assigned: bool
    opens_at: datetime | None = None
    closed: bool = False


def list_desk_sessions(
    *, user: User | None, at: datetime, desk: DeskLink | None = None
) -> list[DeskSession]:
    """Today's sessions (Copenhagen time) this desk may write at, those of the user's assigned
    activities first: a volunteer held to their activities, or a desk link made for one, sees
    only those."""
    day = clock.local(at).date()
    start = datetime.combine(day, time(0), tzinfo=clock.LOCAL_TZ)
    end = start + timedelta(days=1)
    query = select(Occurrence).where(Occurrence.starts_at < end, Occurrence.ends_at > start)
    allowed = allowed_activities(by=user, desk=desk)
    if allowed is not None:
        query = query.where(Occurrence.activity_id.in_(allowed))
    sessions = db.session.scalars(query.order_by(Occurrence.starts_at, Occurrence.id)).all()
    assigned: set[int] = set(allowed or ())
    if user is not None:
        assigned |= set(
            db.session.scalars(
                select(VolunteerAssignment.activity_id).where(
                    VolunteerAssignment.user_id == user.id
                )
            )
        )
    held = is_held(by=user, desk=desk)
    rows = []
    for s in sessions:
        opens, closes = desk_window(s)
        rows.append(
            DeskSession(
                s,
                s.activity_id in assigned,
                opens_at=opens if held and at < opens else None,
                closed=held and at > closes,
            )
        )
    return sorted(rows, key=lambda row: not row.assigned)


def _seat_status(session_id: int) -> ColumnElement[bool]:
    return and_(
        BookingSession.booking_id == Attendee.booking_id, BookingSession.session_id == session_id
    )


def session_counters(session: Occurrence) -> SessionCounters:
    """Checked in (booked people), booked (confirmed seats), capacity, walk-ins and anonymous
    headcounts; ``present`` is every attendance so far."""
    active = (CheckIn.session_id == session.id, CheckIn.undone_at.is_(None))
    by_method = dict(
        db.session.execute(
            select(CheckIn.method, func.sum(CheckIn.count)).where(*active).group_by(CheckIn.method)
        ).all()
    )
    booked = db.session.scalar(
        select(func.coalesce(func.sum(BookingSession.seats), 0)).where(
            BookingSession.session_id == session.id, BookingSession.status == SeatStatus.CONFIRMED
        )
    )
    walk_ins = int(by_method.pop(CheckInMethod.WALK_IN, 0) or 0)
    headcount = int(by_method.pop(CheckInMethod.HEADCOUNT, 0) or 0)
    checked_in = sum(int(n or 0) for n in by_method.values())
    return {
        "session_id": session.id,
        "checked_in": checked_in,
        "booked": int(booked or 0),
        "capacity": session.capacity,
        "walk_ins": walk_ins,
        "headcount": headcount,
        "present": checked_in + walk_ins + headcount,
    }


def not_arrived(session: Occurrence) -> list[WaitingPerson]:
    """People with a confirmed seat here who are not checked in yet, a household's people
    together (households in the order of their first person's name, then by first name)."""
    here = select(CheckIn.attendee_id).where(
        CheckIn.session_id == session.id,
        CheckIn.undone_at.is_(None),
        CheckIn.attendee_id.is_not(None),
    )
    people = db.session.scalars(
        select(Attendee)
        .join(BookingSession, _seat_status(session.id))
        .where(
            BookingSession.status == SeatStatus.CONFIRMED,
            Attendee.cancelled_at.is_(None),
            Attendee.id.not_in(here),
        )
        .order_by(Attendee.first_name, Attendee.id)
    ).all()
    households: dict[int | None, list[WaitingPerson]] = {}
    for a in people:  # by first name, so each household's first person names it
        households.setdefault(a.booking_id, []).append(
            {**attendee_ref(a), "booking_id": a.booking_id}
        )
    return [person for members in households.values() for person in members]


def households_of(people: list[WaitingPerson]) -> list[list[WaitingPerson]]:
    """``not_arrived`` as households: each run of people of one booking, as a list."""
    groups: list[list[WaitingPerson]] = []
    for person in people:
        booking_id = person["booking_id"]
        if groups and booking_id is not None and groups[-1][0]["booking_id"] == booking_id:
            groups[-1].append(person)
        else:
            groups.append([person])
    return groups


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_attendees(query: str, *, session: Occurrence) -> list[SearchHit]:
    """People booked at ``session`` (any status) whose first, last or contact name contains
    every word of ``query``, ignoring case and accents ("orsted" finds "Ørsted"), or whose
    contact phone ends with ``query`` when it is three or more digits."""
    digits = "".join(ch for ch in query if ch.isdigit())
    words = fold(query).split()
    if not words:
        return []
    match: ColumnElement[bool]
    if len(digits) >= 3 and not any(ch.isalpha() for ch in query):
        match = Booking.contact_phone.like("%" + digits)
    else:
        match = and_(
            *(Attendee.search_name.like(f"%{_escape_like(w)}%", escape="\\") for w in words)
        )
    rows = db.session.execute(
        select(Attendee, BookingSession.status, CheckIn.occurred_at)
        .join(Booking, Attendee.booking_id == Booking.id)
        .join(BookingSession, _seat_status(session.id))
        .outerjoin(
            CheckIn,
            and_(
                CheckIn.attendee_id == Attendee.id,
                CheckIn.session_id == session.id,
                CheckIn.undone_at.is_(None),
            ),
        )
        .where(match)
        .order_by(Attendee.first_name, Attendee.id)
        .limit(SEARCH_LIMIT)
    ).all()
    return [
        {
            **attendee_ref(attendee),
            "status": SeatStatus.CANCELLED if attendee.cancelled_at else status,
            "checked_in": checked_at is not None,
            "checked_in_at": checked_at.isoformat() if checked_at else None,
        }
        for attendee, status, checked_at in rows
    ]


def code_hash(code: str) -> str:
    """How the offline list names a code: the hex SHA-256 of its canonical form."""
    return hashlib.sha256(code.encode()).hexdigest()


def offline_ticket_list(session: Occurrence, *, at: datetime) -> OfflineTicketList:
    """Every ticket with a seat row at ``session`` for a tablet to answer scans offline: codes
    hashed, first names and status only, and household codes with their people."""
    rows = db.session.execute(
        select(Attendee, Booking, BookingSession.status, CheckIn.occurred_at)
        .join(Booking, Attendee.booking_id == Booking.id)
        .join(BookingSession, _seat_status(session.id))
        .outerjoin(
            CheckIn,
            and_(
                CheckIn.attendee_id == Attendee.id,
                CheckIn.session_id == session.id,
                CheckIn.undone_at.is_(None),
            ),
        )
        .order_by(Attendee.booking_id, Attendee.id)
    ).all()
    tickets: list[OfflineTicket] = []
    households: dict[int, OfflineHousehold] = {}
    for attendee, booking, status, checked_at in rows:
        cancelled = booking.cancelled_at is not None or attendee.cancelled_at is not None
        tickets.append(
            {
                "code_hash": code_hash(attendee.ticket_code),
                "attendee_id": attendee.id,
                "first_name": attendee.first_name,
                "birth_year": attendee.birth_year,
                "status": SeatStatus.CANCELLED if cancelled else status,
                "checked_in": checked_at is not None,
            }
        )
        household = households.setdefault(
            booking.id, {"code_hash": code_hash(booking.household_code), "attendee_ids": []}
        )
        household["attendee_ids"].append(attendee.id)
    return {
        "session_id": session.id,
        "generated_at": at.isoformat(),
        "hash": "sha256",
        "tickets": tickets,
        "households": list(households.values()),
    }
