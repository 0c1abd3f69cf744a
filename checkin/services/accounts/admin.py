"""Administering logins and volunteers: roles, deactivation, passwords, volunteer assignments
to activities and the hours volunteers give per session."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from checkin.extensions import db
from checkin.models import Activity, Occurrence, User, VolunteerAssignment, VolunteerShift
from checkin.services.accounts.logins import end_sessions, set_password
from checkin.services.audit import record_audit
from checkin.services.errors import DomainError
from checkin.vocabulary import Role, SessionStatus, member_or_none

MAX_SHIFT_MINUTES = 24 * 60


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.name)))


def _other_active_admins(user: User) -> int:
    others = select(func.count(User.id)).where(
        User.role == Role.ADMIN, User.active.is_(True), User.id != user.id
    )
    return db.session.scalar(others) or 0


def update_user(user: User, *, name: str, role: str, at: datetime, by: User | None) -> None:
    """Change a login's name and role. The last active admin keeps the admin role, so the app
    always has someone who can manage accounts."""
    new_role = member_or_none(Role, role)
    if new_role is None:
        raise DomainError("invalid_role", _l("Unknown role."), field="role")
    demoted = user.role == Role.ADMIN and new_role != Role.ADMIN
    if demoted and user.active and not _other_active_admins(user):
        raise DomainError(
            "last_admin", _l("The last administrator must stay administrator."), field="role"
        )
    changed = new_role != user.role
    user.name = (name or "").strip()[:160] or user.email
    user.role = new_role
    db.session.flush()
    if changed:
        record_audit("change_role", by=by, at=at, object_type="user", object_id=user.id, role=role)


def set_user_active(user: User, active: bool, *, at: datetime, by: User | None) -> None:
    """Deactivate a login (it can no longer log in, and its sessions end for good; its
    history stays) or activate it again. Nobody deactivates themselves, and the last active
    admin stays active."""
    if not active:
        if by is not None and by.id == user.id:
            raise DomainError("self", _l("You cannot deactivate yourself."))
        if user.role == Role.ADMIN and not _other_active_admins(user):
            raise DomainError("last_admin", _l("The last administrator must stay active."))
    if user.active != active:
        user.active = active
        if not active:
            end_sessions(user)  # activating again must not bring old cookies back to life
        db.session.flush()
        action = "activate_user" if active else "deactivate_user"
        record_audit(action, by=by, at=at, object_type="user", object_id=user.id)


def reset_password(user: User, password: str, *, at: datetime, by: User | None) -> None:
    """Give a login a new password (at least the minimum length), audit-logged."""
    set_password(user, password or "")
    db.session.flush()
    record_audit("reset_password", by=by, at=at, object_type="user", object_id=user.id)


def assign_volunteer(user: User, activity: Activity, *, at: datetime, by: User | None) -> None:
    """The user helps at ``activity``: its sessions come first at their desk. Idempotent."""
    exists = db.session.scalar(
        select(VolunteerAssignment.id).where(
            VolunteerAssignment.user_id == user.id, VolunteerAssignment.activity_id == activity.id
        )
    )
    if exists is None:
        db.session.add(VolunteerAssignment(user_id=user.id, activity_id=activity.id))
        db.session.flush()
        record_audit(
            "assign_volunteer",
            by=by,
            at=at,
            object_type="user",
            object_id=user.id,
            activity=activity.id,
        )


def unassign_volunteer(user: User, activity: Activity, *, at: datetime, by: User | None) -> None:
    assignment = db.session.scalar(
        select(VolunteerAssignment).where(
            VolunteerAssignment.user_id == user.id, VolunteerAssignment.activity_id == activity.id
        )
    )
    if assignment is not None:
        db.session.delete(assignment)
        db.session.flush()
        record_audit(
            "unassign_volunteer",
            by=by,
            at=at,
            object_type="user",
            object_id=user.id,
            activity=activity.id,
        )


def set_desk_assigned_only(user: User, only: bool, *, at: datetime, by: User | None) -> None:
    """Hold a volunteer to their assigned activities at the desk (``only``), or let them check
    in at every activity again; audit-logged when it changes."""
    if user.desk_assigned_only != only:
        user.desk_assigned_only = only
        db.session.flush()
        record_audit(
            "desk_scope", by=by, at=at, object_type="user", object_id=user.id, assigned_only=only
        )


def assigned_activities(user: User) -> list[Activity]:
    return list(
        db.session.scalars(
            select(Activity)
            .join(VolunteerAssignment, VolunteerAssignment.activity_id == Activity.id)
            .where(VolunteerAssignment.user_id == user.id)
            .order_by(Activity.name)
        )
    )


def record_volunteer_hours(
    user: User, session: Occurrence, minutes: int, *, at: datetime, by: User | None
) -> VolunteerShift | None:
    """Record the minutes ``user`` gave at ``session``, replacing what was recorded before;
    0 removes the record. Only for sessions that have started and were not cancelled, and at
    most a day's minutes."""
    if not 0 <= minutes <= MAX_SHIFT_MINUTES:
        raise DomainError(
            "invalid_minutes", _l("Give the time in minutes, at most 24 hours."), field="minutes"
        )
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError("session_cancelled", _l("This session is cancelled."))
    if session.starts_at > at:
        raise DomainError("not_started", _l("Hours can be recorded once the session has begun."))
    shift = _shift(user, session)
    if minutes == 0:
        if shift is not None:
            db.session.delete(shift)
            db.session.flush()
        return None
    if shift is None:
        shift = VolunteerShift(
            user_id=user.id,
            session_id=session.id,
            minutes=minutes,
            created_at=at,
            created_by_id=by.id if by else None,
        )
        try:
            with db.session.begin_nested():
                db.session.add(shift)
        except IntegrityError:  # recorded at the same moment by someone else: update theirs
            theirs = _shift(user, session)
            if theirs is None:  # not that, then: a real error
                raise
            shift = theirs
    shift.minutes = minutes
    db.session.flush()
    return shift


def _shift(user: User, session: Occurrence) -> VolunteerShift | None:
    return db.session.scalar(
        select(VolunteerShift).where(
            VolunteerShift.user_id == user.id, VolunteerShift.session_id == session.id
        )
    )


def session_shifts(session: Occurrence) -> list[tuple[User, VolunteerShift]]:
    return [
        (user, shift)
        for user, shift in db.session.execute(
            select(User, VolunteerShift)
            .join(VolunteerShift, VolunteerShift.user_id == User.id)
            .where(VolunteerShift.session_id == session.id)
            .order_by(User.name)
        ).all()
    ]
