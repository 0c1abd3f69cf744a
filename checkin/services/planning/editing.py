"""Changing what is planned: projects, activities (with translations and targets) and sessions,
including capacity changes and cancelling a session.

Capacity changes use one guarded UPDATE, like taking seats: the new capacity is written only if
it still holds every seat taken at that moment, so a sign-up racing the change can never leave
more confirmed seats than capacity.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select, update

from checkin.database import rows_changed
from checkin.extensions import db
from checkin.models import (
    Activity,
    ActivityTranslation,
    Booking,
    BookingSession,
    EffortArea,
    Occurrence,
    Project,
    Target,
    User,
    WaitlistEntry,
)
from checkin.services.audit import record_audit
from checkin.services.booking.signup import release_seats
from checkin.services.booking.waitlist import promote_waitlist
from checkin.services.errors import DomainError
from checkin.services.notify.outbox import enqueue_message
from checkin.services.planning.creating import create_effort_area, create_project
from checkin.vocabulary import (
    MessageKind,
    SeatStatus,
    SessionStatus,
    TargetGroup,
    TargetMetric,
    WaitlistResolution,
    member_or_none,
)


def _check_project_name(name: str, *, project: Project | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", _l("Write a name."), field="name")
    query = select(Project.id).where(func.lower(Project.name) == name.lower())
    if project is not None:
        query = query.where(Project.id != project.id)
    if db.session.scalar(query) is not None:
        raise DomainError("name_taken", _l("A project with this name exists."), field="name")
    return name


def find_or_create_effort_area(name: str) -> EffortArea | None:
    """The effort area called ``name`` (any case), created when new; None for a blank name."""
    name = (name or "").strip()
    if not name:
        return None
    existing = db.session.scalar(
        select(EffortArea).where(func.lower(EffortArea.name) == name.lower())
    )
    return existing or create_effort_area(name[:120])


def add_project(
    name: str,
    *,
    effort_area: EffortArea | None,
    funder: str | None = None,
    description: str | None = None,
    at: datetime,
    by: User | None,
) -> Project:
    """A new project; names are unique regardless of case."""
    project = create_project(
        _check_project_name(name), effort_area=effort_area, funder=funder, description=description
    )
    record_audit("create_project", by=by, at=at, object_type="project", object_id=project.id)
    return project


def update_project(
    project: Project,
    *,
    name: str,
    effort_area: EffortArea | None,
    funder: str | None,
    description: str | None,
    active: bool,
    at: datetime,
    by: User | None,
) -> None:
    """Change a project's fields; its name stays unique regardless of case."""
    project.name = _check_project_name(name, project=project)
    project.effort_area = effort_area
    project.funder, project.description, project.active = funder, description, active
    db.session.flush()
    record_audit("update_project", by=by, at=at, object_type="project", object_id=project.id)


def update_activity(
    activity: Activity,
    *,
    project: Project,
    name: str,
    description: str | None,
    target_group: str,
    min_age: int | None,
    max_age: int | None,
    place: str | None,
    default_capacity: int | None,
    signup_required: bool,
    active: bool,
    at: datetime,
    by: User | None,
) -> None:
    """Change an activity with the rules of ``create_activity``: a known target group, an
    ordered age range, no negative capacity. The slug (its public address) never changes, so
    links already shared keep working; existing sessions keep their own capacity."""
    if not (name or "").strip():
        raise DomainError("name_required", _l("Write a name."), field="name")
    group = member_or_none(TargetGroup, target_group)
    if group is None:
        raise DomainError("invalid_target_group", _l("Unknown target group."), field="target_group")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise DomainError(
            "invalid_age_range", _l("The lowest age is above the highest."), field="min_age"
        )
    if default_capacity is not None and default_capacity < 0:
        raise DomainError("invalid_capacity", _l("Capacity cannot be negative."), field="capacity")
    activity.project = project
    activity.name, activity.description = name.strip(), description
    activity.target_group, activity.min_age, activity.max_age = group, min_age, max_age
    activity.place, activity.default_capacity = place, default_capacity
    activity.signup_required, activity.active = signup_required, active
    db.session.flush()
    record_audit("update_activity", by=by, at=at, object_type="activity", object_id=activity.id)


def set_activity_translation(
    activity: Activity, locale: str, *, name: str | None, description: str | None
) -> ActivityTranslation | None:
    """Store the activity's name and description in ``locale``; both blank removes it (the
    default text is shown again)."""
    name, description = (name or "").strip() or None, (description or "").strip() or None
    existing = next((t for t in activity.translations if t.locale == locale), None)
    if name is None and description is None:
        if existing is not None:
            activity.translations.remove(existing)
        db.session.flush()
        return None
    if existing is None:
        existing = ActivityTranslation(locale=locale)
        activity.translations.append(existing)
    existing.name, existing.description = name, description
    db.session.flush()
    return existing


def save_target(
    *,
    target: Target | None = None,
    activity: Activity | None = None,
    project: Project | None = None,
    metric: str,
    value: int,
    period_start: date,
    period_end: date,
    description: str | None = None,
) -> Target:
    """Create a target for ``activity`` or ``project`` (exactly one), or change ``target``:
    a known metric, a positive value, a period that does not end before it starts."""
    measure = member_or_none(TargetMetric, metric)
    if measure is None:
        raise DomainError("invalid_metric", _l("Choose what is counted."), field="metric")
    if value <= 0:
        raise DomainError("invalid_value", _l("The target must be above 0."), field="value")
    if period_end < period_start:
        raise DomainError(
            "invalid_period", _l("The period ends before it starts."), field="period_end"
        )
    if target is None:
        if (activity is None) == (project is None):
            raise ValueError("a target belongs to exactly one activity or project")
        target = Target(
            activity_id=activity.id if activity else None,
            project_id=project.id if project else None,
        )
        db.session.add(target)
    target.metric, target.value, target.description = measure, value, description
    target.period_start, target.period_end = period_start, period_end
    db.session.flush()
    return target


def delete_target(target: Target) -> None:
    db.session.delete(target)
    db.session.flush()


def update_session(
    session: Occurrence,
    *,
    starts_at: datetime,
    ends_at: datetime,
    place: str | None,
    note: str | None,
    at: datetime,
    by: User | None,
) -> None:
    """Move a session in time or change its place; it must still end after it starts. Capacity
    changes go through ``change_capacity``."""
    if ends_at <= starts_at:
        raise DomainError("invalid_time", _l("The end must be after the start."), field="ends_at")
    session.starts_at, session.ends_at, session.place, session.note = (
        starts_at,
        ends_at,
        place,
        note,
    )
    db.session.flush()
    record_audit("update_session", by=by, at=at, object_type="session", object_id=session.id)


def change_capacity(
    session: Occurrence, capacity: int | None, *, at: datetime, by: User | None
) -> list[Booking]:
    """Set a session's capacity (None: no limit). Refused below the seats already taken and on
    a cancelled session; when raised, the freed room goes to the waiting list in order."""
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError("session_cancelled", _l("This session is cancelled."))
    if capacity is not None and capacity < 0:
        raise DomainError("invalid_capacity", _l("Capacity cannot be negative."), field="capacity")
    guard: list[ColumnElement[bool]] = [Occurrence.id == session.id]
    if capacity is not None:
        guard.append(Occurrence.seats_taken <= capacity)
    changed = rows_changed(
        update(Occurrence)
        .where(*guard)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(session, ["capacity", "seats_taken"])
    if changed != 1:
        raise DomainError(
            "below_taken",
            _l("%(n)d seats are taken: the capacity cannot be lower.", n=session.seats_taken),
            field="capacity",
        )
    record_audit(
        "change_capacity", by=by, at=at, object_type="session", object_id=session.id, to=capacity
    )
    return promote_waitlist(session, at=at)


def cancel_session(session: Occurrence, *, reason: str, at: datetime, by: User | None) -> int:
    """Cancel a session that has not ended: every seat there is released, every waiting entry
    closed, and each household holding seats (confirmed or waiting) is told once. Booking rows
    stay, marked cancelled, so the history shows what was planned. Returns households told."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _l("Write why it is cancelled."), field="reason")
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("already_cancelled", _l("This session is already cancelled."))
    if session.ends_at <= at:
        raise DomainError("session_over", _l("This session is over."))
    session.status, session.cancelled_at = SessionStatus.CANCELLED, at
    session.cancel_reason = reason[:200]
    db.session.flush()
    db.session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.session_id == session.id, WaitlistEntry.resolved_at.is_(None))
        .values(resolved_at=at, resolution=WaitlistResolution.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    rows = db.session.scalars(
        select(BookingSession).where(
            BookingSession.session_id == session.id, BookingSession.status != SeatStatus.CANCELLED
        )
    ).all()
    told = 0
    for row in rows:
        if row.status == SeatStatus.CONFIRMED:
            release_seats(session.id, row.seats)
        row.status, row.updated_at = SeatStatus.CANCELLED, at
        if row.booking.cancelled_at is None and row.booking.anonymized_at is None:
            enqueue_message(MessageKind.SESSION_CANCELLED, row.booking, session=session, at=at)
            told += 1
    db.session.flush()
    db.session.expire(session, ["seats_taken"])
    record_audit(
        "cancel_session", by=by, at=at, object_type="session", object_id=session.id, told=told
    )
    return told
