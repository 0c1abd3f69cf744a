"""Volunteers at their activities with the hours they gave, and the targets staff set, so the
dashboard's volunteer and target figures have something to show."""

from __future__ import annotations

import random
from datetime import date, timedelta

from checkin.demo.world import World
from checkin.services.accounts import assign_volunteer, record_volunteer_hours
from checkin.services.clock import local
from checkin.services.planning import save_target

# Which activities each demo volunteer helps at (by activity key), in the order of the users.
ASSIGNMENTS = (("homework", "language"), ("football", "youth_club"), ("dinner", "seniors"))
# (activity key or None for the project, metric, value per half-year)
TARGETS = (
    ("homework", "unique_participants", 40),
    ("homework", "attendances", 400),
    ("football", "unique_participants", 25),
    ("dinner", "attendances", 300),
    ("jobs", "sessions_held", 24),
)


def _half_year(day: date) -> tuple[date, date]:
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def add_volunteering(rng: random.Random, world: World) -> None:
    """Assign each volunteer to their activities and record 2-3 hours at most past sessions
    of them; set half-year targets on the main activities."""
    for user, keys in zip(world.users["volunteer"], ASSIGNMENTS, strict=False):
        for key in keys:
            assign_volunteer(user, world.activities[key], at=world.at, by=None)
            for session in world.sessions[key]:
                if session.starts_at < world.at and rng.random() < 0.8:
                    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
                    record_volunteer_hours(
                        user, session, minutes + 30, at=world.at, by=world.users["staff"][0]
                    )
    start, end = _half_year(local(world.at).date())
    previous_start, previous_end = _half_year(start - timedelta(days=1))
    for key, metric, value in TARGETS:
        for period_start, period_end in ((previous_start, previous_end), (start, end)):
            save_target(
                activity=world.activities[key],
                metric=metric,
                value=value,
                period_start=period_start,
                period_end=period_end,
            )
