"""Setting up what is offered: areas, projects, activities and their sessions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from types import EllipsisType

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Activity, Area, Department, EffortArea, Occurrence, Project
from checkin.services.errors import DomainError
from checkin.services.people.matching import fold
from checkin.vocabulary import SessionStatus, TargetGroup, member_or_none


def create_area(
    name: str,
    *,
    departments: Sequence[str] = (),
    is_resident_area: bool = True,
    sort_order: int = 0,
) -> Area:
    """An area with its departments; names are unique."""
    area = Area(name=name, is_resident_area=is_resident_area, sort_order=sort_order)
    area.departments = [Department(name=d) for d in departments]
    db.session.add(area)
    db.session.flush()
    return area


def create_effort_area(name: str) -> EffortArea:
    effort_area = EffortArea(name=name)
    db.session.add(effort_area)
    db.session.flush()
    return effort_area


def create_project(
    name: str,
    *,
    effort_area: EffortArea | None = None,
    funder: str | None = None,
    description: str | None = None,
) -> Project:
    project = Project(name=name, effort_area=effort_area, funder=funder, description=description)
    db.session.add(project)
    db.session.flush()
    return project


def unique_slug(name: str) -> str:
    """A readable URL slug for ``name``, made unique with a number when taken."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60] or "activity"
    slug, n = base, 2
    while db.session.scalar(select(Activity.id).where(Activity.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_activity(
    project: Project,
    name: str,
    *,
    at: datetime,
    target_group: str = TargetGroup.EVERYONE,
    description: str | None = None,
    min_age: int | None = None,
    max_age: int | None = None,
    place: str | None = None,
    area: Area | None = None,
    default_capacity: int | None = None,
    signup_required: bool = True,
) -> Activity:
    """An activity of ``project``. Target group must be known; the age range must be ordered."""
    group = member_or_none(TargetGroup, target_group)
    if group is None:
        raise DomainError("invalid_target_group", _l("Unknown target group."), field="target_group")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise DomainError(
            "invalid_age_range", _l("The lowest age is above the highest."), field="min_age"
        )
    activity = Activity(
        project=project,
        slug=unique_slug(name),
        name=name,
        description=description,
        target_group=group,
        min_age=min_age,
        max_age=max_age,
        place=place,
        area_id=area.id if area else None,
        default_capacity=default_capacity,
        signup_required=signup_required,
        created_at=at,
    )
    db.session.add(activity)
    db.session.flush()
    return activity


def create_session(
    activity: Activity,
    *,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int | EllipsisType | None = ...,  # ...: the activity's default capacity
    place: str | None = None,
) -> Occurrence:
    """A dated occurrence. Capacity defaults to the activity's; it must end after it starts."""
    if ends_at <= starts_at:
        raise DomainError("invalid_time", _l("The end must be after the start."), field="ends_at")
    session = Occurrence(
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=activity.default_capacity if capacity is ... else capacity,
        seats_taken=0,
        place=place,
        status=SessionStatus.SCHEDULED,
    )
    db.session.add(session)
    db.session.flush()
    return session
