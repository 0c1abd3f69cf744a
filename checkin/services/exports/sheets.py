"""The tables of the exports, built from ``services.stats`` (the one truth) with translated
headers and values. Suppression rules are described in ``services.exports``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _

from checkin.models import Occurrence
from checkin.services.exports.formats import Column, Sheet
from checkin.services.stats.facts import StatsFilter
from checkin.services.stats.figures import (
    METRIC_LABELS,
    key_figure_rows,
    key_figures,
    target_progress,
)
from checkin.services.stats.rows import RowKind, attendance_rows, session_rows
from checkin.services.stats.tables import (
    GENDER_LABELS,
    HEADCOUNT_LABELS,
    RESIDENCE_LABELS,
    EvaluationTable,
    TableRow,
    evaluation_tables,
)
from checkin.vocabulary import SeatStatus, TargetMetric

SUPPRESSED = "<3"


def suppress_persons(count: int, *, suppress: bool) -> int | str:
    """A count of persons as it may leave: 1 or 2 become "<3" when suppressing."""
    return SUPPRESSED if suppress and 0 < count < 3 else count


def _kind_label(kind: RowKind) -> str:
    return {"booked": _("Booked"), "walk_in": _("Walk-in"), "headcount": _("Headcount")}[kind]


def _status_label(status: str) -> str:
    return {"checked_in": _("Checked in"), "no_show": _("No-show")}[status]


def _residence(value: str | None) -> str | None:
    return str(RESIDENCE_LABELS[value]) if value else None


def _band_label(band: str | None) -> str | None:
    return str(HEADCOUNT_LABELS[band]) if band in HEADCOUNT_LABELS else band


def _gender(value: str | None) -> str | None:
    return str(GENDER_LABELS.get(value, value)) if value else None


def attendance_sheet(f: StatsFilter, *, at: datetime, include_names: bool) -> Sheet:
    """One row per attendance or no-show (see ``stats_rows.attendance_rows``)."""
    columns = [Column(_("Participant"), width=14)]
    if include_names:
        columns += [Column(_("First name"), width=16), Column(_("Last name"), width=16)]
    columns += [
        Column(_("Age band"), width=12),
        Column(_("Gender"), width=12),
        Column(_("Area"), width=24),
        Column(_("Department"), width=20),
        Column(_("Resident"), width=14),
        Column(_("Project"), width=30),
        Column(_("Activity"), width=24),
        Column(_("Session date"), "date", width=12),
        Column(_("Booked or walk-in"), width=14),
        Column(_("Checked in or no-show"), width=16),
        Column(_("Attendances"), "int", width=12),
    ]

    def rows() -> Iterator[list[object]]:
        for row in attendance_rows(f, at=at):
            names = [row.first_name, row.last_name] if include_names else []
            yield [
                row.pseudonym,
                *names,
                _band_label(row.age_band),
                _gender(row.gender),
                row.area,
                row.department,
                _residence(row.residence),
                row.project,
                row.activity,
                row.session_date,
                _kind_label(row.kind),
                _status_label(row.status),
                row.attendances,
            ]

    return Sheet(_("Attendances"), columns, rows())


def key_figures_sheet(f: StatsFilter, *, at: datetime, suppress: bool) -> Sheet:
    figures = key_figures(f, at=at)
    rows: list[list[object]] = []
    for _key, label, kind, value in key_figure_rows(figures):
        if kind == "persons" and isinstance(value, int):  # counts of people are whole
            rows.append([str(label), suppress_persons(value, suppress=suppress)])
        else:
            rows.append([str(label), value])
    columns = [Column(_("Figure"), width=40), Column(_("Value"), "decimal", width=12)]
    return Sheet(_("Key figures"), columns, rows)


def _figure_columns() -> list[Column]:
    return [
        Column(_("Unique participants"), "int", width=12),
        Column(_("Attendances"), "int", width=12),
        Column(_("New participants"), "int", width=12),
        Column(_("Returning participants"), "int", width=12),
    ]


def _figures(row: TableRow, *, suppress: bool) -> list[object]:
    small = suppress and 0 < row.unique < 3
    return [
        suppress_persons(row.unique, suppress=suppress),
        SUPPRESSED if small else row.attendances,
        suppress_persons(row.new, suppress=suppress),
        suppress_persons(row.returning, suppress=suppress),
    ]


def _where(row: TableRow) -> list[str]:
    return [row.project or _("All projects"), row.activity or _("All activities")]


def table_sheet(table: EvaluationTable, *, suppress: bool) -> Sheet:
    columns = [Column(_("Project"), width=30), Column(_("Activity"), width=24)]
    if table.group_title is not None:
        columns.append(Column(str(table.group_title), width=24))
    rows = []
    for row in table.rows:
        group = [row.group_label] if table.group_title is not None else []
        rows.append([*_where(row), *group, *_figures(row, suppress=suppress)])
    return Sheet(str(table.title), columns + _figure_columns(), rows)


def targets_sheet(f: StatsFilter, *, at: datetime, suppress: bool) -> Sheet:
    columns = [
        Column(_("Activity or project"), width=30),
        Column(_("Measure"), width=22),
        Column(_("From"), "date", width=12),
        Column(_("To"), "date", width=12),
        Column(_("Target"), "int", width=10),
        Column(_("Reached"), "int", width=10),
        Column(_("Progress, %"), "decimal", width=10),
    ]
    rows = []
    for t in target_progress(f, at=at):
        persons = t.metric in (TargetMetric.UNIQUE_PARTICIPANTS, TargetMetric.NEW_PARTICIPANTS)
        actual = suppress_persons(t.actual, suppress=suppress) if persons else t.actual
        progress = round(100 * t.progress, 1) if actual != "<3" else SUPPRESSED
        metric = str(METRIC_LABELS[t.metric])
        rows.append([t.owner, metric, t.period_start, t.period_end, t.target, actual, progress])
    return Sheet(_("Targets"), columns, rows)


def evaluation_sheets(f: StatsFilter, *, at: datetime, suppress: bool) -> list[Sheet]:
    """The workbook: key figures, one sheet per breakdown, the targets."""
    tables = [table_sheet(t, suppress=suppress) for t in evaluation_tables(f)]
    return [
        key_figures_sheet(f, at=at, suppress=suppress),
        *tables,
        targets_sheet(f, at=at, suppress=suppress),
    ]


def evaluation_long_sheet(f: StatsFilter, *, suppress: bool) -> Sheet:
    """All breakdowns in one long table (CSV holds one table): table, project, activity, group
    and the figures."""
    columns = [
        Column(_("Table"), width=24),
        Column(_("Project"), width=30),
        Column(_("Activity"), width=24),
        Column(_("Group"), width=24),
        *_figure_columns(),
    ]
    rows = []
    for table in evaluation_tables(f):
        for row in table.rows:
            group = row.group_label if table.group_title is not None else ""
            figures = _figures(row, suppress=suppress)
            rows.append([str(table.title), *_where(row), group, *figures])
    return Sheet(_("Evaluation"), columns, rows)


def session_sheet(session: Occurrence, *, include_names: bool) -> Sheet:
    columns = [Column(_("Participant"), width=14)]
    if include_names:
        columns += [Column(_("First name"), width=16), Column(_("Last name"), width=16)]
    columns += [
        Column(_("Age band"), width=12),
        Column(_("Booked or walk-in"), width=14),
        Column(_("Seat"), width=12),
        Column(_("Checked in at"), "datetime", width=18),
        Column(_("Attendances"), "int", width=12),
    ]
    seats: dict[str, str] = {
        SeatStatus.CONFIRMED: _("Confirmed"),
        SeatStatus.WAITLISTED: _("Waiting list"),
    }
    rows = []
    for row in session_rows(session):
        names = [row.first_name, row.last_name] if include_names else []
        at = row.checked_in_at.replace(tzinfo=None) if row.checked_in_at else None
        seat = seats.get(row.seat) if row.seat else None
        band = _band_label(row.age_band)
        rows.append([row.pseudonym, *names, band, _kind_label(row.kind), seat, at, row.attendances])
    return Sheet(_("Session list"), columns, rows)
