"""The feedback kiosk: five smileys at the door after an activity, one tap each."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import DeskLink, Feedback, Occurrence, ScanLog, User
from checkin.services.accounts import authenticate
from checkin.services.desk.feedback import record_feedback
from checkin.services.desk.links import verify_desk_link_pin
from checkin.services.desk.results import ScanResult, desk_key, find_log, log_scan
from checkin.services.desk.scope import require_writable
from checkin.services.errors import DomainError
from checkin.vocabulary import FeedbackSource

KIOSK_PAUSE = timedelta(seconds=3)
# A tap's scan-log result: the log keeps that a tap happened, never its score.
TAPPED = "feedback"


def record_kiosk_feedback(
    session: Occurrence,
    *,
    score: int,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
    client_id: str,
) -> Feedback | None:
    """Record one anonymous smiley from a kiosk. The same device may tap again only after
    ``KIOSK_PAUSE`` (``too_fast``), so a child cannot tap fifty times. The tap's log row keeps
    the device and time, never the score; a repeated ``client_id`` records nothing new. A
    volunteer's or desk link's kiosk takes taps only in the session's desk window."""
    if find_log(client_id) is not None:
        return None
    require_writable(session, by=by, desk=desk, at=at)
    device = desk_key(by, desk)
    last = db.session.scalar(
        select(ScanLog.recorded_at)
        .where(
            ScanLog.session_id == session.id,
            ScanLog.device == device,
            ScanLog.result == TAPPED,
        )
        .order_by(ScanLog.recorded_at.desc())
        .limit(1)
    )
    if last is not None and at - last < KIOSK_PAUSE:
        raise DomainError("too_fast", _l("Thank you! Wait a moment before the next tap."))
    feedback = record_feedback(session, score=score, at=at, source=FeedbackSource.KIOSK)
    log_scan(
        ScanResult(TAPPED, client_id, session.id),
        code=None,
        by=by,
        desk=desk,
        at=at,
        occurred_at=at,
        offline=False,
    )
    return feedback


def leave_kiosk(secret: str, *, by: User | None, desk: DeskLink | None, at: datetime) -> None:
    """Only the volunteer may take a tablet out of kiosk mode: a desk link's tablet with the
    link's PIN (its wrong tries count towards the link's lock, ``wrong_pin``/``link_locked``),
    a logged-in volunteer with their password (``wrong_password``)."""
    if desk is not None:
        verify_desk_link_pin(desk, secret, at=at)
        return
    if by is None or authenticate(by.email, secret or "", at=at) is None:
        raise DomainError("wrong_password", _l("The password is wrong."), field="secret")
