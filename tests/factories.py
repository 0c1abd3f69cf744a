"""Test data built through the services, so tests exercise the same rules as the app."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Activity, Area, AuditLog, Booking, Occurrence, Project, User
from checkin.services import clock
from checkin.services.accounts import create_user
from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
from checkin.services.planning import create_activity, create_area, create_project, create_session

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def make_area(name: str | None = None, **kwargs) -> Area:
    return create_area(
        name or f"Area {next(_seq)}", departments=kwargs.pop("departments", ["A"]), **kwargs
    )


def make_project(name: str | None = None) -> Project:
    return create_project(name or f"Project {next(_seq)}", at=clock.now())


def make_activity(project: Project | None = None, name: str | None = None, **kwargs) -> Activity:
    return create_activity(
        project or make_project(), name or f"Activity {next(_seq)}", at=clock.now(), **kwargs
    )


def make_session(
    activity: Activity | None = None,
    *,
    starts_in: timedelta = timedelta(days=2),
    hours: float = 2,
    **kwargs,
) -> Occurrence:
    activity = activity or make_activity(default_capacity=kwargs.pop("capacity", 20))
    starts_at = kwargs.pop("starts_at", None) or clock.now() + starts_in
    return create_session(
        activity, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **kwargs
    )


def make_booking(
    session: Occurrence, *, people: list[str] | None = None, at: datetime | None = None, **contact
) -> Booking:
    people = people or ["Amina"]
    contact.setdefault("name", "Test Contact")
    contact.setdefault("phone", f"+45 20{next(_seq):06d}")
    return create_booking(
        session.activity,
        sessions=[session],
        contact=ContactDetails(**contact),
        attendees=[AttendeeDetails(first_name=name, birth_year=2015) for name in people],
        at=at or clock.now(),
        info_text_version="test-1",
    )


def make_user(role: str = "staff", email: str | None = None) -> User:
    return create_user(
        email or f"{role}{next(_seq)}@example.org",
        PASSWORD,
        name=role.title(),
        role=role,
        at=clock.now(),
    )


# What building the test data writes to the audit log by itself: its projects.
SETUP_ACTIONS = ("create_project",)


def audit_log() -> list[AuditLog]:
    """The audit log in order, without the entries that building the test data wrote."""
    query = select(AuditLog).where(AuditLog.action.not_in(SETUP_ACTIONS)).order_by(AuditLog.id)
    return list(db.session.scalars(query))
