"""Who may write at the door, and when.

Volunteers and desk links write to a session only during its desk window: from
``DESK_WINDOW_BEFORE_MINUTES`` before it starts (the door opens early) until
``DESK_WINDOW_AFTER_MINUTES`` after it ends (late scans, walk-ins entered afterwards). Staff may
also hold them to activities: a volunteer with ``desk_assigned_only`` writes only at the
activities they are assigned to, and a desk link made for one activity only at its sessions.
Staff and admins are not held: they correct records afterwards, and the scan log keeps who
recorded what and when, as it does for everyone.

Every desk write (scan, household, walk-in, headcount, undo, kiosk, paper list, offline sync)
calls ``require_writable`` once it knows the action is not a replay. The moment judged is when
the action happened: now, for an action sent online; for an action a tablet recorded offline
and synced later, the time it recorded (never later than its arrival). So a scan made at the
door during yesterday's session and synced this morning still counts, as pretix judges an
uploaded offline scan by its own datetime rather than by when it arrived.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import LazyString, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import DeskLink, Occurrence, User, VolunteerAssignment
from checkin.services.errors import DomainError
from checkin.vocabulary import Role


def desk_window(session: Occurrence) -> tuple[datetime, datetime]:
    """(opens, closes): when volunteers and desk links may write to ``session``."""
    config = current_app.config
    before = timedelta(minutes=float(config["DESK_WINDOW_BEFORE_MINUTES"]))
    after = timedelta(minutes=float(config["DESK_WINDOW_AFTER_MINUTES"]))
    return session.starts_at - before, session.ends_at + after


def is_held(*, by: User | None, desk: DeskLink | None) -> bool:
    """True for a desk link or a volunteer; staff, admins and the system (CLI, demo) are not
    held to the desk's scope."""
    if desk is not None:
        return True
    return by is not None and not by.has_role(Role.STAFF)


def allowed_activities(*, by: User | None, desk: DeskLink | None) -> set[int] | None:
    """The activities this desk may write at, or None for every activity."""
    if not is_held(by=by, desk=desk):
        return None
    if desk is not None:
        return None if desk.activity_id is None else {desk.activity_id}
    if by is None or not by.desk_assigned_only:
        return None
    query = select(VolunteerAssignment.activity_id).where(VolunteerAssignment.user_id == by.id)
    return set(db.session.scalars(query))


def _when(moment: datetime) -> LazyString:
    """A time in a refusal, formatted in the language and time zone it is shown in."""
    return LazyString(format_datetime, moment, "short")


def desk_refusal(
    session: Occurrence,
    *,
    by: User | None,
    desk: DeskLink | None,
    at: datetime | None,
) -> DomainError | None:
    """Why this desk may not write to ``session`` at ``at`` (None: it may). With ``at`` None
    only the activity is judged."""
    allowed = allowed_activities(by=by, desk=desk)
    if allowed is not None and session.activity_id not in allowed:
        if desk is not None:
            return DomainError("not_assigned", _l("This desk link is for another activity."))
        return DomainError(
            "not_assigned",
            _l("You check in only at the activities you help at. Ask staff to assign you."),
        )
    if at is None or not is_held(by=by, desk=desk):
        return None
    opens, closes = desk_window(session)
    if at < opens:
        return DomainError(
            "outside_desk_window",
            _l("The desk for this session opens at %(time)s.", time=_when(opens)),
        )
    if at > closes:
        return DomainError(
            "outside_desk_window",
            _l(
                "The desk for this session closed at %(time)s. Ask staff if a record must be "
                "corrected.",
                time=_when(closes),
            ),
        )
    return None


def require_assigned(session: Occurrence, *, by: User | None, desk: DeskLink | None) -> None:
    """Refuse (``not_assigned``) a desk held to other activities: it does not read this
    session's people (ticket list, search, counters) either."""
    refusal = desk_refusal(session, by=by, desk=desk, at=None)
    if refusal is not None:
        raise refusal


def require_writable(
    session: Occurrence,
    *,
    by: User | None,
    desk: DeskLink | None,
    at: datetime | None,
    occurred_at: datetime | None = None,
    offline: bool = False,
) -> None:
    """Refuse (``not_assigned``, ``outside_desk_window``) a desk write this desk may not make.
    ``at`` is the server's time; an ``offline`` action is judged by ``occurred_at``, the time
    the tablet recorded it, never later than ``at``."""
    moment = at
    if offline and occurred_at is not None and at is not None:
        moment = min(occurred_at, at)
    refusal = desk_refusal(session, by=by, desk=desk, at=moment)
    if refusal is not None:
        raise refusal
