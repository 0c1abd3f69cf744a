"""Activities: created with a readable slug, changed with their texts per language."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import (
    Activity,
    ActivityTranslation,
    Area,
    Project,
    User,
)
from checkin.services.audit import record_audit
from checkin.services.errors import DomainError
from checkin.services.people.matching import fold
from checkin.services.planning.occurrences import check_capacity
from checkin.vocabulary import (
    TargetGroup,
    member_or_none,
)


def active_activities() -> list[Activity]:
    """The activities that run (not retired), by name: what staff choose from."""
    query = select(Activity).where(Activity.active.is_(True)).order_by(Activity.name)
    return list(db.session.scalars(query))


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
    """An activity of ``project``. Target group must be known; the age range must be ordered;
    the default capacity as ``check_capacity`` says."""
    group = member_or_none(TargetGroup, target_group)
    if group is None:
        raise DomainError("invalid_target_group", _l("Unknown target group."), field="target_group")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise DomainError(
            "invalid_age_range", _l("The lowest age is above the highest."), field="min_age"
        )
    check_capacity(default_capacity)
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
    ordered age range, a capacity ``check_capacity`` allows. The slug (its public address)
    never changes, so links already shared keep working; existing sessions keep their own
    capacity."""
    if not (name or "").strip():
        raise DomainError("name_required", _l("Write a name."), field="name")
    group = member_or_none(TargetGroup, target_group)
    if group is None:
        raise DomainError("invalid_target_group", _l("Unknown target group."), field="target_group")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise DomainError(
            "invalid_age_range", _l("The lowest age is above the highest."), field="min_age"
        )
    check_capacity(default_capacity)
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
