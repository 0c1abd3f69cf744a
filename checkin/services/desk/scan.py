"""The door: what a scanned or typed code means at a session, and admitting people by it.

A scan answers with a result value (never an exception), recorded in the scan log whatever it
was, so the history holds refused scans too and a replayed client id answers the same result.
Result codes are stable: the desk maps them to colours and sounds.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, select

from checkin.extensions import db
from checkin.models import (
    Attendee,
    Booking,
    BookingSession,
    CheckIn,
    DeskLink,
    Occurrence,
    ScanLog,
    User,
)
from checkin.services.desk.presence import check_in_attendee
from checkin.services.desk.results import (
    HouseholdMember,
    ScanResult,
    SessionRef,
    attendee_ref,
    desk_key,
    desk_name,
    find_log,
    local_time,
    log_scan,
)
from checkin.services.desk.scope import require_writable
from checkin.services.errors import DomainError
from checkin.services.tickets.qr import parse_scanned
from checkin.vocabulary import CheckInMethod, ScanResultCode, SeatStatus

# Refusals a volunteer may overrule ("check in anyway", with a reason).
OVERRIDABLE = (ScanResultCode.WRONG_SESSION, ScanResultCode.CANCELLED, ScanResultCode.WAITLISTED)
# Answers that mean the person is in.
_ADMITTED = (ScanResultCode.OK, ScanResultCode.ALREADY_CHECKED_IN)


def active_check_in(attendee_id: int, session_id: int) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(
            CheckIn.attendee_id == attendee_id,
            CheckIn.session_id == session_id,
            CheckIn.undone_at.is_(None),
        )
    )


class TicketLookup(NamedTuple):
    """What a code finds at a session: the attendee (None for a household code or nothing),
    the booking (None for an unknown code) and its seat row there (None without one)."""

    attendee: Attendee | None
    booking: Booking | None
    seat: BookingSession | None


def lookup_ticket(
    session: Occurrence, *, code: str | None = None, attendee_id: int | None = None
) -> TicketLookup:
    """(attendee, booking, seat row at ``session``) in one joined, indexed query; for a
    household code the attendee is None."""
    seat_join = and_(
        BookingSession.booking_id == Booking.id, BookingSession.session_id == session.id
    )
    query = (
        select(Attendee, Booking, BookingSession)
        .join(Booking, Attendee.booking_id == Booking.id)
        .outerjoin(BookingSession, seat_join)
    )
    query = query.where(
        Attendee.id == attendee_id if attendee_id is not None else Attendee.ticket_code == code
    )
    row = db.session.execute(query).first()
    if row is None and code is not None:
        household = db.session.execute(
            select(Booking, BookingSession)
            .outerjoin(BookingSession, seat_join)
            .where(Booking.household_code == code)
        ).first()
        if household is not None:
            return TicketLookup(None, household[0], household[1])
    if row is None:
        return TicketLookup(None, None, None)
    return TicketLookup(row[0], row[1], row[2])


def decide(
    attendee: Attendee | None, booking: Booking | None, seat: BookingSession | None
) -> ScanResultCode:
    """The answer to a scan, from what the code found (see ``scan_ticket``)."""
    if booking is None:
        return ScanResultCode.INVALID
    if booking.cancelled_at is not None or (attendee and attendee.cancelled_at is not None):
        return ScanResultCode.CANCELLED
    if seat is None:
        return ScanResultCode.WRONG_SESSION
    if seat.status != SeatStatus.CONFIRMED:
        return ScanResultCode(seat.status)  # waitlisted or cancelled, in the same words
    return ScanResultCode.OK if attendee is not None else ScanResultCode.HOUSEHOLD


def _valid_sessions(booking: Booking, *, at: datetime) -> list[SessionRef]:
    """The sessions a ticket is for (confirmed seats), coming ones first."""
    rows = db.session.scalars(
        select(Occurrence)
        .join(BookingSession, BookingSession.session_id == Occurrence.id)
        .where(
            BookingSession.booking_id == booking.id, BookingSession.status == SeatStatus.CONFIRMED
        )
        .order_by(Occurrence.starts_at)
    ).all()
    rows = sorted(rows, key=lambda s: s.ends_at < at)
    return [
        {"id": s.id, "name": s.activity.name, "starts_at": s.starts_at.isoformat()}
        for s in rows[:5]
    ]


def household_members(
    booking: Booking, seat: BookingSession | None, session: Occurrence
) -> list[HouseholdMember]:
    """Every attendee of the booking with their status here, pre-selected when they may come."""
    checked = {
        row.attendee_id: row
        for row in db.session.scalars(
            select(CheckIn).where(
                CheckIn.session_id == session.id,
                CheckIn.undone_at.is_(None),
                CheckIn.attendee_id.in_([a.id for a in booking.attendees]),
            )
        )
    }
    members: list[HouseholdMember] = []
    for person in booking.attendees:
        status: str = (
            SeatStatus.CANCELLED if person.cancelled_at else (seat.status if seat else "none")
        )
        here = checked.get(person.id)
        members.append(
            {
                "id": person.id,
                "first_name": person.first_name,
                "birth_year": person.birth_year,
                "status": status,
                "checked_in": here is not None,
                "checked_in_at": here.occurred_at.isoformat() if here else None,
                "selected": status == SeatStatus.CONFIRMED and here is None,
            }
        )
    return members


def _describe(
    result: ScanResult,
    found: TicketLookup,
    session: Occurrence,
    at: datetime,
) -> None:
    """Fill in what the desk shows for ``result.result``."""
    attendee, booking, seat = found
    if attendee is not None:
        result.attendee = attendee_ref(attendee)
        result.first_names = [attendee.first_name or ""]
    if result.result in OVERRIDABLE:
        result.overridable = True
    if result.result == ScanResultCode.WRONG_SESSION and booking is not None:
        result.sessions = _valid_sessions(booking, at=at)
    if booking is not None and (result.result == ScanResultCode.HOUSEHOLD or attendee is None):
        result.attendees = household_members(booking, seat, session)
        result.first_names = [m["first_name"] or "" for m in result.attendees]
    already_described = result.result == ScanResultCode.OK and result.checked_in_at is not None
    if attendee is not None and result.result in _ADMITTED and not already_described:
        existing = active_check_in(attendee.id, session.id)
        if existing is not None:
            result.check_in_id = result.check_in_id or existing.id
            result.checked_in_at = existing.occurred_at
            result.checked_in_by = desk_name(existing.device)


def replay(log: ScanLog, session: Occurrence) -> ScanResult:
    """The answer a logged action gave, rebuilt from the log: same result code, current
    details. A household check-in's rows carry ``<client id>/<attendee id>`` client ids."""
    result = ScanResult(log.result, log.client_id, log.session_id, replayed=True, note=log.note)
    result.check_in_id = log.check_in_id
    if log.code:
        found = lookup_ticket(session, code=log.code)
        _describe(result, found, session, log.recorded_at)
        if found.attendee is None and log.result in _ADMITTED:
            result.first_names = household_admitted(log.client_id)
    elif log.check_in_id is not None:
        row = db.session.get(CheckIn, log.check_in_id)
        if row is not None and row.attendee is not None:
            result.attendee = attendee_ref(row.attendee)
            result.first_names = [row.attendee.first_name or ""]
        if row is not None:
            result.checked_in_at = row.occurred_at
    return result


def household_admitted(client_id: str) -> list[str]:
    """First names checked in by one household action (rows ``<client id>/<attendee id>``)."""
    rows = db.session.scalars(
        select(CheckIn)
        .where(CheckIn.client_id.like(client_id.replace("%", "") + "/%"))
        .order_by(CheckIn.id)
    )
    return [row.attendee.first_name or "" for row in rows if row.attendee is not None]


def _replace_later(
    existing: CheckIn, *, at: datetime, by: User | None, key: str, when: datetime
) -> None:
    """An earlier offline admission wins over a later row recorded first: the later row is
    marked undone (kept for history) and its scan log gets a note naming the earlier one."""
    existing.undone_at = at
    existing.undone_by_id = by.id if by else None
    existing.note = f"replaced by an earlier offline admission by {desk_name(key)} at " + (
        local_time(when)
    )
    db.session.flush()
    later = db.session.scalar(
        select(ScanLog).where(ScanLog.check_in_id == existing.id).order_by(ScanLog.id).limit(1)
    )
    if later is not None:
        later.note = f"also admitted offline by {desk_name(key)} at {local_time(when)}"


def admit(
    attendee: Attendee,
    result: ScanResult,
    *,
    session: Occurrence,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    occurred_at: datetime,
    client_id: str,
    method: CheckInMethod,
    offline: bool,
    note: str | None = None,
) -> None:
    """Check ``attendee`` in, once per session; the database's unique index decides races.
    Offline, the earliest admission wins even when a later one reached the server first."""
    key = desk_key(by, desk)
    # Online, the insert alone decides (the unique index); only an offline admission must look
    # first, because an earlier arrival replaces a later one already recorded.
    existing = active_check_in(attendee.id, session.id) if offline else None
    if existing is not None and existing.occurred_at > occurred_at:
        _replace_later(existing, at=at, by=by, key=key, when=occurred_at)
        existing = None
    if existing is None:
        try:
            row = check_in_attendee(
                attendee,
                session=session,
                by=by,
                at=at,
                client_id=client_id,
                method=method,
                device=key,
                occurred_at=occurred_at,
            )
        except DomainError as error:
            if error.code != ScanResultCode.ALREADY_CHECKED_IN:
                raise
        else:
            if note:
                row.note = note
            result.result = ScanResultCode.OK
            result.check_in_id = row.id
            result.checked_in_at = row.occurred_at
            result.checked_in_by = desk_name(row.device)
            return
        existing = active_check_in(attendee.id, session.id)
    result.result = ScanResultCode.ALREADY_CHECKED_IN
    if offline and existing is not None:
        result.note = (
            f"also admitted offline by {desk_name(existing.device)} at "
            f"{local_time(existing.occurred_at)}"
        )


def scan_ticket(
    text: str | None,
    *,
    session: Occurrence,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    occurred_at: datetime | None,
    client_id: str,
    offline: bool = False,
    override_reason: str | None = None,
    attendee_id: int | None = None,
    method: CheckInMethod = CheckInMethod.SCAN,
) -> ScanResult:
    """Answer a scanned or typed code (or an attendee chosen from a search) at ``session``.

    A confirmed seat checks in (``ok``) at most once (``already_checked_in`` says when and by
    which desk); a ticket for other dates is ``wrong_session`` naming them; ``cancelled``,
    ``waitlisted`` and ``invalid`` refuse; a household code lists its people (``household``).
    With ``override_reason`` an overridable refusal checks in anyway (method "staff"). The same
    ``client_id`` answers the original result and records nothing new. A volunteer or desk
    link outside the session's scope is refused (``desk.scope``)."""
    logged = find_log(client_id)
    if logged is not None:
        return replay(logged, session)
    require_writable(session, by=by, desk=desk, at=at, occurred_at=occurred_at, offline=offline)
    occurred_at = min(occurred_at or at, at)
    code = parse_scanned(text) if text else None
    if code is None and attendee_id is None:
        found = TicketLookup(None, None, None)
    else:
        found = lookup_ticket(session, code=code, attendee_id=attendee_id)
    attendee = found.attendee
    result = ScanResult(decide(*found), client_id, session.id)
    reason = (override_reason or "").strip()
    if attendee is not None and result.result in OVERRIDABLE and reason:
        refused = result.result
        admit(
            attendee,
            result,
            session=session,
            by=by,
            desk=desk,
            at=at,
            occurred_at=occurred_at,
            client_id=client_id,
            method=CheckInMethod.STAFF,
            offline=offline,
            note=f"checked in anyway ({refused}): {reason}",
        )
        if result.result == ScanResultCode.OK:
            result.note = f"checked in anyway ({refused}): {reason}"
    elif attendee is not None and result.result == ScanResultCode.OK:
        admit(
            attendee,
            result,
            session=session,
            by=by,
            desk=desk,
            at=at,
            occurred_at=occurred_at,
            client_id=client_id,
            method=method,
            offline=offline,
        )
    _describe(result, found, session, at)
    logged_code = attendee.ticket_code if attendee is not None else code
    log_scan(
        result, code=logged_code, by=by, desk=desk, at=at, occurred_at=occurred_at, offline=offline
    )
    return result
