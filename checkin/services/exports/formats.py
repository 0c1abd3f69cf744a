"""Writing tables as CSV and XLSX, chunk by chunk, for streamed downloads.

CSV is UTF-8 with a byte order mark (so Excel shows "æøå"), separated by semicolons and with
decimal commas, as Danish Excel expects; quoting is the ``csv`` module's. XLSX is written with
openpyxl's write-only workbook: typed cells (whole numbers as numbers, dates as dates), a bold
frozen header row, one sheet per table. A write-only workbook streams its rows to temporary
files, and the finished file is then sent in chunks. Text loses the control characters a
worksheet cannot hold (a name stored before names refused them must not stop an export).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

BOM = "\ufeff"
CSV_DELIMITER = ";"
CHUNK = 64 * 1024
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    label: str
    type: str = "text"  # "text", "int", "decimal", "date" or "datetime"
    width: float = 14


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_chunks(sheet: Sheet) -> Iterator[bytes]:
    """The sheet as CSV bytes, BOM first, in chunks of about ``CHUNK`` bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([column.label for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_value(value) for value in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_TITLE_FORBIDDEN.sub(" ", _xlsx_text(title)).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _xlsx_cell(ws: WriteOnlyWorksheet, value: object, column: Column) -> object:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws)
        cell.value = value  # set afterwards: the stub of WriteOnlyCell() leaves dates out
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, float):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "0.0"
        return cell
    if isinstance(value, str):
        return _xlsx_text(value)
    return value


def xlsx_chunks(sheets: Callable[[], Iterable[Sheet]], *, creator: str) -> Iterator[bytes]:
    """A workbook with one sheet per table, written when iterated, in chunks."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = creator
    bold = Font(bold=True)
    taken: set[str] = set()
    for sheet in sheets():
        ws = workbook.create_sheet(title=_sheet_title(sheet.title, taken))
        ws.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=_xlsx_text(column.label))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, v, c) for v, c in zip(row, sheet.columns, strict=True)])
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk
