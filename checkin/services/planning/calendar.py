"""What is coming up, for the residents' calendar and its iCalendar feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from checkin.extensions import db
from checkin.models import Activity, Area, Occurrence, Project
from checkin.services import clock
from checkin.vocabulary import SessionStatus, TargetGroup

# The target groups residents can filter by. "everyone" is not a choice: such activities are
# listed under every group.
FILTER_TARGET_GROUPS = tuple(g for g in TargetGroup if g is not TargetGroup.EVERYONE)


@dataclass(frozen=True)
class FilterChoices:
    """What the calendar can be filtered by: (id, name) pairs of projects and areas that have
    active activities."""

    target_groups: tuple[TargetGroup, ...]
    projects: list[tuple[int, str]]
    areas: list[tuple[int, str]]


def list_upcoming_sessions(
    *,
    at: datetime,
    days: int = 28,
    limit: int = 200,
    target_group: str | None = None,
    project_id: int | None = None,
    area_id: int | None = None,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """Sessions of active activities that have not ended, starting in the next ``days``,
    soonest first. Cancelled sessions only with ``include_cancelled`` (feeds need them so that
    subscribed calendars drop the event). A ``target_group`` also matches activities for
    everyone; ``project_id`` and ``area_id`` match the activity's project and area."""
    stmt = (
        select(Occurrence)
        .join(Occurrence.activity)
        .options(joinedload(Occurrence.activity).selectinload(Activity.translations))
        .where(
            Activity.active.is_(True),
            Occurrence.ends_at > at,
            Occurrence.starts_at < at + timedelta(days=days),
        )
        .order_by(Occurrence.starts_at, Occurrence.id)
        .limit(limit)
    )
    if not include_cancelled:
        stmt = stmt.where(Occurrence.status == SessionStatus.SCHEDULED)
    if target_group is not None:
        stmt = stmt.where(
            or_(
                Activity.target_group == target_group, Activity.target_group == TargetGroup.EVERYONE
            )
        )
    if project_id is not None:
        stmt = stmt.where(Activity.project_id == project_id)
    if area_id is not None:
        stmt = stmt.where(Activity.area_id == area_id)
    return list(db.session.scalars(stmt).unique())


def list_activity_sessions(
    activity: Activity, *, at: datetime, days: int = 365, limit: int = 200
) -> list[Occurrence]:
    """The coming sessions of one activity for its feed, cancelled ones included."""
    stmt = (
        select(Occurrence)
        .where(
            Occurrence.activity_id == activity.id,
            Occurrence.ends_at > at,
            Occurrence.starts_at < at + timedelta(days=days),
        )
        .order_by(Occurrence.starts_at, Occurrence.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def group_by_day(sessions: list[Occurrence]) -> list[tuple[date, list[Occurrence]]]:
    """Sessions (sorted by start) grouped by their start's date in Copenhagen, where residents
    live: a session at 23:30 local time belongs to that evening, not to the next UTC day."""
    return [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda s: clock.local(s.starts_at).date())
    ]


def list_filter_choices() -> FilterChoices:
    """Projects and areas that have at least one active activity, in display order."""
    has_activity = select(Activity.id).where(Activity.active.is_(True))
    projects = db.session.execute(
        select(Project.id, Project.name)
        .where(
            Project.active.is_(True),
            has_activity.where(Activity.project_id == Project.id).exists(),
        )
        .order_by(Project.name)
    ).all()
    areas = db.session.execute(
        select(Area.id, Area.name)
        .where(Area.active.is_(True), has_activity.where(Activity.area_id == Area.id).exists())
        .order_by(Area.sort_order, Area.name)
    ).all()
    return FilterChoices(
        target_groups=FILTER_TARGET_GROUPS,
        projects=[(row.id, row.name) for row in projects],
        areas=[(row.id, row.name) for row in areas],
    )
