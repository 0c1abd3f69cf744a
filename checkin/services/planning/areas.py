"""Where residents live and what the projects belong to: areas with their departments,
and effort areas."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import (
    Area,
    Department,
    EffortArea,
)


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


def find_or_create_effort_area(name: str) -> EffortArea | None:
    """The effort area called ``name`` (any case, as the database lowers it: SQLite only
    ASCII), created when new; None for a blank name. Names are cut at 120 characters before
    looking, so the name looked for is the one stored."""
    name = (name or "").strip()[:120]
    if not name:
        return None
    existing = db.session.scalar(
        select(EffortArea).where(func.lower(EffortArea.name) == func.lower(name))
    )
    return existing or create_effort_area(name)
