"""Evaluation tables: unique participants, attendances, new and returning, broken down by
project and activity, age band, gender, area and residence (CONTEXT.md "What evaluations need").

Each breakdown is one GROUP BY over the check-in facts (``stats_facts``), at three levels: all
projects, per project, and per activity. A person is counted in every group they attended
under, so the groups of a breakdown can add up to more unique participants than the total
(e.g. someone who turned 13 during the period); attendances always add up exactly.
Anonymous headcounts count as attendances in their band, or under their headcount group
("anonymous headcount: child") rather than being forced into a band.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, distinct, func, null, select

from checkin.extensions import db
from checkin.models import Activity, Area, Project
from checkin.services.stats.facts import StatsFilter, checkin_facts, first_seen
from checkin.vocabulary import AgeBand, Gender, HeadcountGroup

# Keyed by the words the facts hold (plain strings from SQL), so typed by str.
HEADCOUNT_LABELS: dict[str, LazyString] = {
    HeadcountGroup.CHILD: _l("Anonymous headcount: children"),
    HeadcountGroup.YOUTH: _l("Anonymous headcount: youth"),
    HeadcountGroup.ADULT: _l("Anonymous headcount: adults"),
    HeadcountGroup.SENIOR: _l("Anonymous headcount: seniors"),
}
GENDER_LABELS: dict[str, LazyString] = {
    Gender.FEMALE: _l("Female"),
    Gender.MALE: _l("Male"),
    Gender.OTHER: _l("Other"),
}
RESIDENCE_LABELS: dict[str, LazyString] = {
    "resident": _l("Resident"),
    "non_resident": _l("Non-resident"),
}
DIMENSIONS: dict[str, tuple[LazyString, LazyString | None]] = {
    # key: (table title, group column title)
    "project": (_l("By project and activity"), None),
    "age_band": (_l("By age band"), _l("Age band")),
    "gender": (_l("By gender"), _l("Gender")),
    "area": (_l("By area"), _l("Area")),
    "residence": (_l("Resident or not"), _l("Residence")),
}

_COLUMNS = {"age_band": "age_band", "gender": "gender", "area": "area_id", "residence": "residence"}


@dataclass(frozen=True)
class TableRow:
    project_id: int | None  # None: all projects
    project: str | None
    activity_id: int | None  # None: all activities (of the project)
    activity: str | None
    group: str | int | None  # the breakdown value (an area's id); None in the project table
    group_label: str
    unique: int
    attendances: int
    new: int

    @property
    def returning(self) -> int:
        return self.unique - self.new


@dataclass(frozen=True)
class EvaluationTable:
    key: str
    title: LazyString
    group_title: LazyString | None
    rows: list[TableRow]

    def totals(self) -> list[TableRow]:
        """The rows for all projects and activities."""
        return [r for r in self.rows if r.project_id is None]


def _group_order(key: str, areas: dict[int, str]) -> list[str | int | None]:
    if key == "age_band":
        return [*AgeBand, None, *HeadcountGroup]
    if key == "gender":
        return [*Gender, None]
    if key == "residence":
        return ["resident", "non_resident", None]
    if key == "area":
        return [*areas, None]
    return [None]


def _label(key: str, group: str | int | None, areas: dict[int, str]) -> str:
    if group is None:
        return str(_l("All")) if key == "project" else str(_l("Unknown"))
    if isinstance(group, int):  # an area's id
        return areas.get(group, str(_l("Unknown")))
    labels = _LABELS.get(key, {})
    return str(labels.get(group, group))


_LABELS = {"age_band": HEADCOUNT_LABELS, "gender": GENDER_LABELS, "residence": RESIDENCE_LABELS}


class _Counted(NamedTuple):
    """One row of a breakdown's GROUP BY."""

    project_id: int | None
    activity_id: int | None
    group: str | int | None
    unique: int
    attendances: int
    new: int


def _grouped(f: StatsFilter, key: str, level: str) -> list[_Counted]:
    """The counts of one GROUP BY: ``key``'s breakdown at ``level`` (all, project, activity)."""
    facts = checkin_facts(f)
    first = first_seen()
    project = facts.c.project_id if level != "all" else null()
    activity = facts.c.activity_id if level == "activity" else null()
    group = facts.c[_COLUMNS[key]] if key != "project" else null()
    keys: list[ColumnElement[Any]] = [facts.c.project_id] if level != "all" else []
    if level == "activity":
        keys.append(facts.c.activity_id)
    if key != "project":
        keys.append(group)
    new = func.count(distinct(case((first.c.first_at >= f.start_utc, facts.c.person_id))))
    query = select(
        project,
        activity,
        group,
        func.count(distinct(facts.c.person_id)),
        func.coalesce(func.sum(facts.c.attendances), 0),
        new,
    ).select_from(facts.outerjoin(first, first.c.person_id == facts.c.person_id))
    if keys:
        query = query.group_by(*keys)
    return [_Counted(*row) for row in db.session.execute(query).all()]


def evaluation_tables(f: StatsFilter) -> list[EvaluationTable]:
    """The breakdowns of ``DIMENSIONS`` for filter ``f``, each with rows for all projects,
    each project and each activity, in a stable order (projects and activities by name, groups
    in their natural order). Empty groups are left out."""
    projects = dict(db.session.execute(select(Project.id, Project.name)).all())
    activities = dict(db.session.execute(select(Activity.id, Activity.name)).all())
    areas = dict(
        db.session.execute(select(Area.id, Area.name).order_by(Area.sort_order, Area.name)).all()
    )
    tables = []
    for key, (title, group_title) in DIMENSIONS.items():
        order = {g: i for i, g in enumerate(_group_order(key, areas))}
        rows = []
        for level in ("all", "project", "activity"):
            for counted in _grouped(f, key, level):
                if level == "all" and key == "project" and not counted.attendances:
                    continue  # nothing at all in the period
                project_id, activity_id = counted.project_id, counted.activity_id
                rows.append(
                    TableRow(
                        project_id=project_id,
                        project=None if project_id is None else projects.get(project_id),
                        activity_id=activity_id,
                        activity=None if activity_id is None else activities.get(activity_id),
                        group=counted.group,
                        group_label=_label(key, counted.group, areas),
                        unique=int(counted.unique),
                        attendances=int(counted.attendances),
                        new=int(counted.new),
                    )
                )
        rows.sort(
            key=lambda r: (
                r.project_id is not None,
                (r.project or "").casefold(),
                r.project_id or 0,
                r.activity_id is not None,
                (r.activity or "").casefold(),
                r.activity_id or 0,
                order.get(r.group, len(order)),
            )
        )
        tables.append(EvaluationTable(key=key, title=title, group_title=group_title, rows=rows))
    return tables
