"""Recording presence. Uniqueness is enforced by the database, not by an ``if`` alone."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from checkin.extensions import db
from checkin.models import Attendee, CheckIn, Occurrence, User
from checkin.services.errors import DomainError
from checkin.vocabulary import AgeBand, CheckInMethod, HeadcountGroup, ScanResultCode

_HEADCOUNT_BANDS = frozenset(AgeBand) | frozenset(HeadcountGroup)


def _insert(check_in: CheckIn) -> CheckIn:
    try:
        with db.session.begin_nested():
            db.session.add(check_in)
    except IntegrityError as exc:
        replay = db.session.scalar(select(CheckIn).where(CheckIn.client_id == check_in.client_id))
        if replay is not None:
            return replay
        raise DomainError(ScanResultCode.ALREADY_CHECKED_IN, _l("Already checked in.")) from exc
    return check_in


def check_in_attendee(
    attendee: Attendee,
    *,
    session: Occurrence,
    by: User | None,
    at: datetime,
    client_id: str,
    method: CheckInMethod = CheckInMethod.SCAN,
    device: str | None = None,
    occurred_at: datetime | None = None,
) -> CheckIn:
    """Record ``attendee`` present at ``session``: at most once per session (a second attempt
    raises ``already_checked_in``); a repeated ``client_id`` returns the original row."""
    return _insert(
        CheckIn(
            session_id=session.id,
            attendee_id=attendee.id,
            method=method,
            client_id=client_id,
            device=device,
            recorded_by_id=by.id if by else None,
            occurred_at=occurred_at or at,
            recorded_at=at,
        )
    )


def record_headcount(
    session: Occurrence,
    *,
    age_band: str,
    count: int,
    by: User | None,
    at: datetime,
    client_id: str,
    device: str | None = None,
    occurred_at: datetime | None = None,
) -> CheckIn:
    """Count ``count`` anonymous people of ``age_band`` (an evaluation band, or a headcount
    group: child, youth, adult, senior) at an open session: they are attendances, never
    unique participants."""
    if age_band not in _HEADCOUNT_BANDS:
        raise DomainError("invalid_age_band", _l("Unknown age band."))
    if count < 1:
        raise DomainError("invalid_count", _l("Count at least one person."))
    return _insert(
        CheckIn(
            session_id=session.id,
            age_band=age_band,
            count=count,
            method=CheckInMethod.HEADCOUNT,
            client_id=client_id,
            device=device,
            recorded_by_id=by.id if by else None,
            occurred_at=occurred_at or at,
            recorded_at=at,
        )
    )
