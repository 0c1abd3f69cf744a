"""Desk actions besides a single scan: a household at once, walk-ins, anonymous headcounts,
undoing a mistake, and ticks entered afterwards from the paper list. Each is logged like a scan
and answers a repeated client id with its original result."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select

from checkin.extensions import db
from checkin.models import Area, Attendee, BookingSession, CheckIn, DeskLink, Occurrence, User
from checkin.services.desk.presence import check_in_attendee, record_headcount
from checkin.services.desk.results import ScanResult, attendee_ref, desk_key, find_log, log_scan
from checkin.services.desk.scan import (
    OVERRIDABLE,
    admit,
    decide,
    household_members,
    lookup_ticket,
    replay,
)
from checkin.services.desk.scope import require_writable
from checkin.services.desk.walkins import register_walk_in
from checkin.services.errors import DomainError
from checkin.services.tickets.qr import parse_scanned
from checkin.vocabulary import CheckInMethod, ScanResultCode, UndoResultCode

UNDO_WINDOW = timedelta(minutes=15)


def check_in_household(
    code: str,
    attendee_ids: Iterable[int],
    *,
    session: Occurrence,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    occurred_at: datetime | None,
    client_id: str,
    offline: bool = False,
    override_reason: str | None = None,
) -> ScanResult:
    """Check in the chosen people of the household with ``code`` ("3 of 4 came"). People must
    belong to the booking and not be cancelled; a household without a confirmed seat here
    needs ``override_reason``. Each row's client id is ``<client_id>/<attendee id>``."""
    logged = find_log(client_id)
    if logged is not None:
        return replay(logged, session)
    require_writable(session, by=by, desk=desk, at=at, occurred_at=occurred_at, offline=offline)
    occurred_at = min(occurred_at or at, at)
    parsed = parse_scanned(code or "")
    attendee, booking, seat = lookup_ticket(session, code=parsed) if parsed else (None, None, None)
    result = ScanResult(ScanResultCode.INVALID, client_id, session.id)
    if booking is not None and attendee is None:
        decided = decide(None, booking, seat)
        reason = (override_reason or "").strip()
        result.result = decided
        if decided == ScanResultCode.HOUSEHOLD or (decided in OVERRIDABLE and reason):
            chosen = set(attendee_ids)
            people = {a.id: a for a in booking.attendees if a.cancelled_at is None}
            if not chosen or not chosen <= set(people):
                raise DomainError(
                    "unknown_attendee",
                    _l("Choose people from this household."),
                    field="attendee_ids",
                )
            household = decided == ScanResultCode.HOUSEHOLD
            note = None if household else f"checked in anyway ({decided}): {reason}"
            admitted, first_row = [], None
            for person_id in sorted(chosen):
                single = ScanResult(ScanResultCode.OK, client_id, session.id)
                admit(
                    people[person_id],
                    single,
                    session=session,
                    by=by,
                    desk=desk,
                    at=at,
                    occurred_at=occurred_at,
                    client_id=f"{client_id}/{person_id}",
                    method=CheckInMethod.HOUSEHOLD if household else CheckInMethod.STAFF,
                    offline=offline,
                    note=note,
                )
                if single.result == ScanResultCode.OK:
                    admitted.append(people[person_id].first_name or "")
                    first_row = first_row or single.check_in_id
            result.result = ScanResultCode.OK if admitted else ScanResultCode.ALREADY_CHECKED_IN
            result.first_names = admitted
            result.check_in_id = first_row
            result.note = note
        result.overridable = result.result in OVERRIDABLE
        result.attendees = household_members(booking, seat, session)
    log_scan(result, code=parsed, by=by, desk=desk, at=at, occurred_at=occurred_at, offline=offline)
    return result


def _finish(row: CheckIn, result: ScanResult) -> None:
    result.check_in_id = row.id
    result.checked_in_at = row.occurred_at
    if row.attendee is not None:
        result.attendee = attendee_ref(row.attendee)
        result.first_names = [row.attendee.first_name or ""]


def _logged_action(
    session: Occurrence,
    record: Callable[[datetime, str], CheckIn],
    *,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    occurred_at: datetime | None,
    client_id: str,
    offline: bool,
) -> ScanResult:
    """Run a desk action that records one check-in row, once per ``client_id``: a replay
    answers the original result; a desk outside the session's scope is refused; the action's
    time is never later than the server's."""
    logged = find_log(client_id)
    if logged is not None:
        return replay(logged, session)
    require_writable(session, by=by, desk=desk, at=at, occurred_at=occurred_at, offline=offline)
    occurred_at = min(occurred_at or at, at)
    row = record(occurred_at, desk_key(by, desk))
    result = ScanResult(ScanResultCode.OK, client_id, session.id)
    _finish(row, result)
    log_scan(result, code=None, by=by, desk=desk, at=at, occurred_at=occurred_at, offline=offline)
    return result


def record_desk_walk_in(
    session: Occurrence,
    *,
    first_name: str,
    age_band: str | None,
    area_id: int | None,
    is_resident: bool | None,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    occurred_at: datetime | None,
    client_id: str,
    offline: bool = False,
) -> ScanResult:
    """Register a walk-in (see ``register_walk_in``) from the desk and log it."""
    if area_id is not None and db.session.get(Area, area_id) is None:
        raise DomainError("unknown_area", _l("Unknown area."), field="area_id")
    return _logged_action(
        session,
        lambda when, device: register_walk_in(
            session,
            first_name=first_name,
            age_band=age_band,
            area_id=area_id,
            is_resident=is_resident,
            by=by,
            at=at,
            client_id=client_id,
            device=device,
            occurred_at=when,
        ),
        by=by,
        desk=desk,
        at=at,
        occurred_at=occurred_at,
        client_id=client_id,
        offline=offline,
    )


def _one_tap(count: int) -> None:
    most = int(current_app.config["DESK_HEADCOUNT_MAX_PER_TAP"])
    if count > most:
        raise DomainError(
            "too_many_at_once", _l("Count at most %(n)d people at a time.", n=most), field="count"
        )


def record_desk_headcount(
    session: Occurrence,
    *,
    age_band: str,
    count: int,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    occurred_at: datetime | None,
    client_id: str,
    offline: bool = False,
) -> ScanResult:
    """Count anonymous people at an open activity (``age_band`` may be a headcount group:
    child, youth, adult, senior). They are attendances, never unique participants. One tap
    counts at most ``DESK_HEADCOUNT_MAX_PER_TAP`` people (``too_many_at_once``), so a slip of
    the finger cannot add fifty."""

    def record(when: datetime, device: str) -> CheckIn:
        _one_tap(count)
        return record_headcount(
            session,
            age_band=age_band,
            count=count,
            by=by,
            at=at,
            client_id=client_id,
            device=device,
            occurred_at=when,
        )

    return _logged_action(
        session,
        record,
        by=by,
        desk=desk,
        at=at,
        occurred_at=occurred_at,
        client_id=client_id,
        offline=offline,
    )


def _made_by(client_id: str, attendee_id: int | None) -> list[ColumnElement[bool]]:
    """Where the check-in of ``attendee_id`` (or the one anonymous row) made by the action
    ``client_id`` is: a household's rows are named "<client id>/<attendee id>", every other
    action's row carries the action's client id."""
    if attendee_id is None:
        return [CheckIn.client_id == client_id]
    names = (client_id, f"{client_id}/{attendee_id}")
    return [CheckIn.client_id.in_(names), CheckIn.attendee_id == attendee_id]


def undo_check_in(
    *,
    session: Occurrence,
    client_id: str,
    target_client_id: str | None = None,
    target_attendee_id: int | None = None,
    check_in_id: int | None = None,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    occurred_at: datetime | None = None,
    offline: bool = False,
) -> ScanResult:
    """Undo a check-in made at this session by the same desk within 15 minutes: the row gets
    ``undone_at`` and stays in the history. The check-in is named by its row id, or by the
    client id of the action that made it and, for a person, ``target_attendee_id`` (one
    household action admits several people, each in a row of their own). Answers ``undone``,
    or ``not_found``, ``already_undone``, ``undo_expired`` or ``other_desk``."""
    logged = find_log(client_id)
    if logged is not None:
        return replay(logged, session)
    require_writable(session, by=by, desk=desk, at=at, occurred_at=occurred_at, offline=offline)
    occurred_at = min(occurred_at or at, at)
    query = select(CheckIn).where(CheckIn.session_id == session.id)
    if check_in_id is not None:
        row = db.session.scalar(query.where(CheckIn.id == check_in_id))
    elif target_client_id:
        row = db.session.scalar(query.where(*_made_by(target_client_id, target_attendee_id)))
    else:
        row = None
    result = ScanResult(UndoResultCode.NOT_FOUND, client_id, session.id)
    if row is not None:
        result.check_in_id = row.id
        if row.undone_at is not None:
            result.result = UndoResultCode.ALREADY_UNDONE
        elif occurred_at - row.occurred_at > UNDO_WINDOW:
            result.result = UndoResultCode.UNDO_EXPIRED
        elif row.device != desk_key(by, desk):
            result.result = UndoResultCode.OTHER_DESK
        else:
            row.undone_at = at
            row.undone_by_id = by.id if by else None
            result.result = UndoResultCode.UNDONE
        if row.attendee is not None:
            result.attendee = attendee_ref(row.attendee)
            result.first_names = [row.attendee.first_name or ""]
        result.checked_in_at = row.occurred_at
    log_scan(result, code=None, by=by, desk=desk, at=at, occurred_at=occurred_at, offline=offline)
    return result


def recent_check_ins(
    session: Occurrence, *, by: User | None, desk: DeskLink | None, at: datetime, limit: int = 10
) -> list[CheckIn]:
    """This desk's check-ins at ``session`` that it may still undo, newest first."""
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(
                CheckIn.session_id == session.id,
                CheckIn.device == desk_key(by, desk),
                CheckIn.undone_at.is_(None),
                CheckIn.occurred_at >= at - UNDO_WINDOW,
            )
            .order_by(CheckIn.occurred_at.desc(), CheckIn.id.desc())
            .limit(limit)
        )
    )


def record_paper_attendance(
    session: Occurrence, attendee_ids: Iterable[int], *, by: User, at: datetime, client_id: str
) -> tuple[int, int]:
    """Enter ticks from the printed list afterwards (method "paper"), dated at the session's
    start. Only people booked at the session count; people already checked in are skipped, and
    the same ``client_id`` enters nothing twice. Returns (newly recorded, already present).
    Staff enter the list (the desk's scope holds volunteers, see ``desk.scope``)."""
    require_writable(session, by=by, desk=None, at=at)
    ids = set(attendee_ids)
    people = db.session.scalars(
        select(Attendee)
        .join(BookingSession, BookingSession.booking_id == Attendee.booking_id)
        .where(BookingSession.session_id == session.id, Attendee.id.in_(ids))
    ).all()
    if len(people) != len(ids):
        raise DomainError("unknown_attendee", _l("Choose people booked for this session."))
    added = present = 0
    for person in people:
        try:
            row = check_in_attendee(
                person,
                session=session,
                by=by,
                at=at,
                client_id=f"{client_id}/{person.id}",
                method=CheckInMethod.PAPER,
                device=desk_key(by, None),
                occurred_at=session.starts_at,
            )
        except DomainError as error:
            if error.code != ScanResultCode.ALREADY_CHECKED_IN:
                raise
            present += 1
        else:
            if row.recorded_at == at and row.method == CheckInMethod.PAPER:
                added += 1
            else:
                present += 1
    return added, present
