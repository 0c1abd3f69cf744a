"""The desk's answers and their history: the result value every desk action returns, and
the scan log that keeps one row per action (refused ones too), so a replayed client id answers
the same result and two desks can be told apart."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Attendee, DeskLink, ScanLog, User
from checkin.services import clock
from checkin.vocabulary import ScanResultCode

# The scan answers in order, for the OpenAPI document that lists them.
RESULT_CODES: tuple[ScanResultCode, ...] = tuple(ScanResultCode)


class AttendeeRef(TypedDict):
    """A person as the desk names them: first name, and birth year to tell apart two people of
    one name (never contact details)."""

    id: int
    first_name: str | None
    birth_year: int | None


def attendee_ref(attendee: Attendee) -> AttendeeRef:
    return {"id": attendee.id, "first_name": attendee.first_name, "birth_year": attendee.birth_year}


class SessionRef(TypedDict):
    """A session a ticket is for, shown after a ``wrong_session`` scan."""

    id: int
    name: str
    starts_at: str  # ISO 8601


class HouseholdMember(AttendeeRef):
    """One person of a household at a session, to tick who came."""

    status: str  # a SeatStatus, or "none" when the booking has no seat here
    checked_in: bool
    checked_in_at: str | None  # ISO 8601
    selected: bool  # pre-selected: a confirmed seat and not checked in yet


@dataclass
class ScanResult:
    """What the desk shows after a scan or a desk action. ``result`` is a ScanResultCode or
    UndoResultCode, "feedback" for a kiosk tap, or a refused sync item's DomainError code."""

    result: str
    client_id: str
    session_id: int
    replayed: bool = False
    attendee: AttendeeRef | None = None
    first_names: list[str] = field(default_factory=list)
    check_in_id: int | None = None
    checked_in_at: datetime | None = None
    checked_in_by: str | None = None
    sessions: list[SessionRef] = field(default_factory=list)
    attendees: list[HouseholdMember] = field(default_factory=list)
    overridable: bool = False
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The answer as JSON-ready values."""
        data = asdict(self)
        data["checked_in_at"] = self.checked_in_at.isoformat() if self.checked_in_at else None
        return data


def desk_key(by: User | None, desk: DeskLink | None) -> str:
    """The stable name of "this desk" stored on check-ins: a tablet link, or else the user."""
    if desk is not None:
        return f"link:{desk.id}"
    return f"user:{by.id}" if by is not None else "system"


def desk_name(key: str | None) -> str | None:
    """A desk key as people read it: the desk link's or the user's name."""
    kind, _, ident = (key or "").partition(":")
    if not ident.isdigit():
        return key
    number = int(ident)
    row = db.session.get(DeskLink, number) if kind == "link" else db.session.get(User, number)
    return row.name if row is not None else key


def local_time(moment: datetime) -> str:
    return clock.local(moment).strftime("%Y-%m-%d %H:%M:%S")


def find_log(client_id: str) -> ScanLog | None:
    return db.session.scalar(select(ScanLog).where(ScanLog.client_id == client_id))


def log_scan(
    result: ScanResult,
    *,
    code: str | None,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    occurred_at: datetime,
    offline: bool,
) -> ScanLog:
    """One history row per desk action, refused ones included."""
    row = ScanLog(
        client_id=result.client_id,
        session_id=result.session_id,
        code=code,
        result=result.result,
        check_in_id=result.check_in_id,
        user_id=by.id if by else None,
        desk_link_id=desk.id if desk else None,
        device=desk_key(by, desk),
        occurred_at=occurred_at,
        recorded_at=at,
        offline=offline,
        note=result.note,
    )
    db.session.add(row)
    db.session.flush()
    return row
