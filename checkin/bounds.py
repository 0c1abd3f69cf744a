"""What a value typed or sent by anyone may be, in one place for forms, query strings and the
desk API: text without control characters, days in a plausible range, integers a database
column holds.

PostgreSQL cannot store NUL in text, spreadsheets cannot hold most C0 control characters,
``date.max + 1 day`` overflows and an integer column holds 32 bits: a value past these bounds is
refused or cleaned where it enters, so it never reaches a service, the database or an export.
"""

from __future__ import annotations

import re
from datetime import date

# C0 control characters and DEL; lone surrogates (never valid text, unencodable as UTF-8).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# The same, but tab and newline are text in a multi-line field.
CONTROL_CHARACTERS_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_LINE_BREAKS_AND_TABS = re.compile(r"[\t\n]")
# For pydantic's pattern (what a desk API string may hold): no C0 character at all.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)

# The longest period figures are counted over (a dashboard filter, a target): five years. A
# longer one is a typo, and costs a query the size of the period (a CASE branch per year).
MAX_PERIOD_DAYS = 5 * 366

MAX_INTEGER = 2**31 - 1  # an INTEGER column, on PostgreSQL as on SQLite
MIN_INTEGER = -(2**31)

DEFAULT_MAX_LENGTH = 200  # a single-line field that states no maxlength of its own
DEFAULT_MAX_LENGTH_MULTILINE = 5000  # a note or a description


def strip_control_characters(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters. A multi-line text keeps its tabs and line breaks
    (a browser's CRLF, or a lone CR, becomes LF); in a single line they become spaces."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return CONTROL_CHARACTERS_MULTILINE.sub("", lines)
    return CONTROL_CHARACTERS.sub("", _LINE_BREAKS_AND_TABS.sub(" ", lines))


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def is_plausible_day(day: date) -> bool:
    """A day anyone would type into this app: from 2000 to 2100."""
    return EARLIEST_DAY <= day <= LATEST_DAY


def is_plausible_period(start: date, end: date) -> bool:
    """A period of at most ``MAX_PERIOD_DAYS`` days (one that ends before it starts is
    refused for that reason elsewhere)."""
    return (end - start).days < MAX_PERIOD_DAYS


def parse_day(raw: str | None) -> date | None:
    """A day written as YYYY-MM-DD (as a date input sends it) in the plausible range, or
    None: the one way a typed date is read outside a form's date field."""
    text = (raw or "").strip()
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:  # 2024-02-30
        return None
    return day if is_plausible_day(day) else None
