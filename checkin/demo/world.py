"""The demo's fixed frame: logins, areas, effort areas, projects, activities and their sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from checkin.demo.data import (
    ACTIVITIES,
    AREAS,
    EFFORT_AREAS,
    FUNDER,
    PASSWORDS,
    PROJECTS,
    STAFF,
    ActivitySpec,
    Schedule,
    seasonal_trip,
)
from checkin.extensions import db
from checkin.models import (
    Activity,
    ActivityTranslation,
    Area,
    EffortArea,
    Occurrence,
    Project,
    User,
)
from checkin.services.accounts import create_user
from checkin.services.clock import LOCAL_TZ, local
from checkin.services.planning import (
    create_activity,
    create_area,
    create_effort_area,
    create_project,
    create_session,
)

PAST_DAYS = 182
COMING_DAYS = 61


@dataclass
class World:
    at: datetime
    users: dict[str, list[User]]
    areas: list[Area]
    activities: dict[str, Activity]
    specs: dict[str, ActivitySpec]
    sessions: dict[str, list[Occurrence]]  # by activity key, soonest first

    @property
    def year(self) -> int:
        return local(self.at).year


def _closed(day: date, *, school_breaks: bool) -> bool:
    """Days the house is closed: Christmas and the summer, plus school holidays (winter and
    autumn break, the whole summer holiday) for activities that follow the school year."""
    if (day.month, day.day) >= (12, 23) or (day.month, day.day) <= (1, 1):
        return True
    week = day.isocalendar().week
    if school_breaks:
        return week in (7, 42) or 26 <= week <= 32
    return 28 <= week <= 31


def session_days(schedule: Schedule, *, today: date, first: date, last: date) -> list[date]:
    """The dates an activity meets between ``first`` and ``last`` (inclusive)."""
    if schedule.kind == "once":
        day = today + timedelta(days=schedule.days)
        while day.weekday() != schedule.weekdays[0]:
            day += timedelta(days=1)
        return [day]
    days = []
    day = first
    while day <= last:
        if schedule.kind == "weekly":
            meets = (
                day.weekday() in schedule.weekdays
                and day.isocalendar().week % schedule.every == 0
                and not _closed(day, school_breaks=schedule.school_breaks)
            )
        else:  # monthly: the last such weekday of the month, not in the summer break
            meets = (
                day.weekday() == schedule.weekdays[0]
                and (day + timedelta(days=7)).month != day.month
                and day.month != 7
            )
        if meets:
            days.append(day)
        day += timedelta(days=1)
    return days


def _at_local(day: date, clock_time) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=LOCAL_TZ).astimezone(UTC)


def _get_or_create_area(name: str, departments: tuple[str, ...], resident: bool, order: int):
    area = db.session.scalar(select(Area).where(Area.name == name))
    if area is None:
        area = create_area(
            name, departments=list(departments), is_resident_area=resident, sort_order=order
        )
    return area


def _create_users(at: datetime) -> dict[str, list[User]]:
    users: dict[str, list[User]] = {"admin": [], "staff": [], "volunteer": []}
    for role, email, name in STAFF:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(email, PASSWORDS[role], name=name, role=role, at=at)
        users[role].append(user)
    return users


def _create_projects(at: datetime) -> dict[str, Project]:
    effort_areas = {}
    for name in EFFORT_AREAS:
        effort_area = db.session.scalar(select(EffortArea).where(EffortArea.name == name))
        effort_areas[name] = effort_area or create_effort_area(name)
    projects = {}
    for key, (name, area_name, description) in PROJECTS.items():
        project = db.session.scalar(select(Project).where(Project.name == name))
        projects[key] = project or create_project(
            name,
            effort_area=effort_areas[area_name],
            funder=FUNDER,
            description=description,
            at=at,
        )
    return projects


def build_world(at: datetime) -> World:
    """Create logins, areas, projects, activities and sessions from six months before ``at`` to
    two months after it. Configuration rows that already exist (areas, projects) are reused."""
    since = at - timedelta(days=PAST_DAYS + 30)
    users = _create_users(since)
    areas = [
        _get_or_create_area(name, departments, resident, order)
        for order, (name, departments, resident) in enumerate(AREAS, start=1)
    ]
    by_name = {area.name: area for area in areas}
    projects = _create_projects(at)

    today = local(at).date()
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=COMING_DAYS)
    activities, specs, sessions = {}, {}, {}
    for spec in ACTIVITIES:
        days = session_days(spec.schedule, today=today, first=first, last=last)
        name, description, name_en, description_en = (
            seasonal_trip(days[0].month)
            if spec.schedule.kind == "once"
            else (spec.name, spec.description, spec.name_en, spec.description_en)
        )
        activity = create_activity(
            projects[spec.project],
            name,
            at=since,
            target_group=spec.target_group,
            description=description,
            min_age=spec.min_age,
            max_age=spec.max_age,
            place=spec.place,
            area=by_name.get(spec.area) if spec.area else None,
            default_capacity=spec.capacity,
            signup_required=spec.signup_required,
        )
        db.session.add(
            ActivityTranslation(
                activity_id=activity.id, locale="en", name=name_en, description=description_en
            )
        )
        activities[spec.key], specs[spec.key] = activity, spec
        sessions[spec.key] = [
            create_session(
                activity,
                starts_at=_at_local(day, spec.schedule.start),
                ends_at=_at_local(day, spec.schedule.end),
            )
            for day in days
        ]
    return World(
        at=at, users=users, areas=areas, activities=activities, specs=specs, sessions=sessions
    )
