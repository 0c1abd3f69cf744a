"""Evaluation exports (DESIGN.md §4 invariants 5 and 6): the same figures as the dashboard,
from ``services.stats``, as streamed CSV or XLSX.

- Exports are **pseudonymous** by default: people appear as their participant pseudonym, and in
  aggregated figures every count of fewer than 3 persons (1 or 2) is replaced by ``"<3"``, as
  Danmarks Statistik does; so is the attendance count of a group of fewer than 3 persons.
  Zero stays zero. Secondary suppression is **not** done: a suppressed cell can sometimes be
  worked out from a total and the other cells, so pseudonymous tables are still handled as
  personal data (CONTEXT.md) and only leave the organisation after review.
- Row-level exports (attendance rows, session lists) are pseudonymous microdata: one row is one
  person, so cell suppression does not apply to them.
- **Names** (and unsuppressed figures) are for admins only and need an explicit
  ``include_names=True``.
- **Every** export, with or without names, is written to the audit log: who, when, what kind,
  which format, which filters and whether names were included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from checkin.extensions import db
from checkin.models import Occurrence, User
from checkin.services.audit import record_audit
from checkin.services.errors import DomainError
from checkin.services.exports.formats import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    Sheet,
    csv_chunks,
    xlsx_chunks,
)
from checkin.services.exports.sheets import (
    SUPPRESSED,
    attendance_sheet,
    evaluation_long_sheet,
    evaluation_sheets,
    key_figures_sheet,
    session_sheet,
)
from checkin.services.stats.facts import StatsFilter

__all__ = ["SUPPRESSED", "ExportFile", "export_session_list", "export_statistics"]
EXPORT_KINDS = ("attendance", "evaluation", "key_figures")
FORMATS = ("csv", "xlsx")
CREATOR = "Nordby Check-in"


@dataclass
class ExportFile:
    """A download: its file name, MIME type and the bytes, produced lazily when iterated."""

    filename: str
    mimetype: str
    chunks: Iterator[bytes]


def may_export_names(user: User | None) -> bool:
    """Only admins may export names."""
    return user is not None and user.has_role("admin")


def _render(
    fmt: str, sheets: Callable[[], list[Sheet]], single: Callable[[], Sheet]
) -> tuple[str, Iterator[bytes]]:
    """The MIME type and the lazily produced bytes of ``single`` (CSV) or ``sheets`` (XLSX).
    ``fmt`` is one of ``FORMATS``: every caller refuses others before the export is logged."""
    if fmt == "csv":
        return CSV_MIMETYPE, _lazy(lambda: csv_chunks(single()))
    return XLSX_MIMETYPE, _lazy(lambda: xlsx_chunks(sheets, creator=CREATOR))


def _lazy(make: Callable[[], Iterable[bytes]]) -> Iterator[bytes]:
    """Nothing is computed until the response starts streaming."""
    yield from make()


def _check_names(by: User | None, include_names: bool) -> None:
    if include_names and not may_export_names(by):
        raise DomainError("names_forbidden", _l("Only an administrator may export names."))


def export_statistics(
    kind: str,
    *,
    fmt: str,
    stats_filter: StatsFilter,
    by: User | None,
    at: datetime,
    include_names: bool = False,
) -> ExportFile:
    """Export ``kind`` ("attendance": one row per attendance or no-show; "evaluation": key
    figures, breakdown tables and targets; "key_figures") for ``stats_filter`` as ``fmt`` (csv
    or xlsx). Pseudonymous and small-cell suppressed unless an admin passes
    ``include_names=True`` (names_forbidden otherwise). Writes the audit entry now; the data
    is computed while the file streams."""
    if kind not in EXPORT_KINDS:
        raise DomainError("unknown_export", _l("Unknown export."), field="kind")
    if fmt not in FORMATS:
        raise DomainError("unknown_format", _l("Unknown file format."), field="fmt")
    _check_names(by, include_names)
    record_audit(
        "export",
        by=by,
        at=at,
        kind=kind,
        format=fmt,
        filters=stats_filter.as_dict(),
        include_names=include_names,
    )
    suppress = not include_names
    if kind == "attendance":

        def single() -> Sheet:
            return attendance_sheet(stats_filter, at=at, include_names=include_names)

        sheets = lambda: [single()]  # noqa: E731
    elif kind == "key_figures":

        def single() -> Sheet:
            return key_figures_sheet(stats_filter, at=at, suppress=suppress)

        sheets = lambda: [single()]  # noqa: E731
    else:

        def single() -> Sheet:
            return evaluation_long_sheet(stats_filter, suppress=suppress)

        def sheets() -> list[Sheet]:
            return evaluation_sheets(stats_filter, at=at, suppress=suppress)

    mimetype, chunks = _render(fmt, sheets, single)
    names = "-names" if include_names else ""
    filename = f"nordby-{kind}-{stats_filter.start}-{stats_filter.end}{names}.{fmt}"
    return ExportFile(filename=filename, mimetype=mimetype, chunks=chunks)


def export_session_list(
    session: Occurrence,
    *,
    fmt: str,
    by: User | None,
    at: datetime,
    include_names: bool = False,
) -> ExportFile:
    """One session's list for staff: booked people with their seat and whether they came,
    walk-ins and headcounts. Pseudonymous unless an admin asks for names; always logged."""
    if fmt not in FORMATS:
        raise DomainError("unknown_format", _l("Unknown file format."), field="fmt")
    _check_names(by, include_names)
    record_audit(
        "export",
        by=by,
        at=at,
        object_type="session",
        object_id=session.id,
        kind="session",
        format=fmt,
        filters={"session_id": session.id},
        include_names=include_names,
    )

    session_id = session.id

    def single() -> Sheet:
        # Streaming runs after the request committed, maybe in another database session.
        fresh = db.session.get_one(Occurrence, session_id)
        return session_sheet(fresh, include_names=include_names)

    mimetype, chunks = _render(fmt, lambda: [single()], single)
    names = "-names" if include_names else ""
    filename = f"nordby-session-{session.id}{names}.{fmt}"
    return ExportFile(filename=filename, mimetype=mimetype, chunks=chunks)
