"""Targets: what an activity or a project aims for in a period, for the dashboard."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from checkin.bounds import MAX_PERIOD_DAYS, is_plausible_period
from checkin.extensions import db
from checkin.models import (
    Activity,
    Project,
    Target,
)
from checkin.services.errors import DomainError
from checkin.vocabulary import (
    TargetMetric,
    member_or_none,
)


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
    a known metric, a positive value, a period that does not end before it starts and is no
    longer than ``MAX_PERIOD_DAYS`` (five years)."""
    measure = member_or_none(TargetMetric, metric)
    if measure is None:
        raise DomainError("invalid_metric", _l("Choose what is counted."), field="metric")
    if value <= 0:
        raise DomainError("invalid_value", _l("The target must be above 0."), field="value")
    if period_end < period_start:
        raise DomainError(
            "invalid_period", _l("The period ends before it starts."), field="period_end"
        )
    if not is_plausible_period(period_start, period_end):
        raise DomainError(
            "period_too_long",
            _l("A period is at most %(years)d years.", years=MAX_PERIOD_DAYS // 366),
            field="period_end",
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
