"""Projects: the funded efforts, created and changed with unique names, audited."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import (
    EffortArea,
    Project,
    User,
)
from checkin.services.audit import record_audit
from checkin.services.errors import DomainError


def _check_project_name(name: str, *, project: Project | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", _l("Write a name."), field="name")
    query = select(Project.id).where(func.lower(Project.name) == func.lower(name))
    if project is not None:
        query = query.where(Project.id != project.id)
    if db.session.scalar(query) is not None:
        raise DomainError("name_taken", _l("A project with this name exists."), field="name")
    return name


def create_project(
    name: str,
    *,
    effort_area: EffortArea | None = None,
    funder: str | None = None,
    description: str | None = None,
    at: datetime,
    by: User | None = None,
) -> Project:
    """A new project; names are unique regardless of case. Audited."""
    project = Project(
        name=_check_project_name(name),
        effort_area=effort_area,
        funder=funder,
        description=description,
    )
    db.session.add(project)
    db.session.flush()
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
