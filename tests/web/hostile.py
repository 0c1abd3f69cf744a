"""Hostile input for the bad-input test (tests/web/test_bad_input.py): value strategies, the
forms a page shows, and requests built byte by byte (so a value may be invalid UTF-8 or a
lone surrogate, which the test client would refuse to encode).

Every strategy mixes plausible values (a form's own values, dates and times of the right
shape) with hostile ones, so hostile values also reach the code behind the first check.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urljoin, urlsplit

from hypothesis import strategies as st

DEEP = 100_000  # brackets in the deeply nested JSON bodies
LONG = 100_000  # characters in the longest text values

# Text a person or a script might send, each breaking something somewhere once.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01Amina",
    "\x1b[31m",
    "\x7f",
    "tab\there",
    "two\r\nlines",
    "\ud800",  # a lone surrogate: sent as its (invalid) UTF-8 bytes
    "\udfffx",
    "\ufeff",
    "\ufffe\uffff",
    "𝔄𝔪𝔦𝔫𝔞",
    "²",
    "١٢٣",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "null",
    "None",
    "[]",
    "{}",
    "x" * 5_000,
    "9" * 5_000,
    "y" * LONG,
]
NASTY_NUMBERS = [
    "0",
    "-1",
    "-2147483649",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999",
    "1e3",
    "1.5",
    "0x10",
    "+1",
    " 1",
    "NaN",
    "inf",
]
NASTY_DATES = [
    "0001-01-01",
    "9999-12-31",
    "1970-01-01",
    "2100-12-31",
    "2101-01-01",
    "1999-12-31",
    "2024-02-30",
    "2026-13-01",
    "2026-1-1",
    "20261124",
    "-2026-01-01",
    "2026-11-24T13:00",
    "garbage",
]
NASTY_TIMES = ["24:00", "23:60", "-1:00", "99:99", "12", "12:00:00.5", "noon"]

nasty_text = st.sampled_from(NASTY_TEXT)
any_text = st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=30)
control_text = st.text(st.characters(max_codepoint=0x9F), max_size=12)
hostile = st.one_of(
    nasty_text,
    st.sampled_from(NASTY_NUMBERS + NASTY_DATES + NASTY_TIMES),
    st.integers(-(2**70), 2**70).map(str),
    any_text,
    control_text,
)
days = st.one_of(
    st.sampled_from(NASTY_DATES),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat),
    st.dates(date(2026, 1, 1), date(2027, 12, 31)).map(date.isoformat),
)
times = st.one_of(st.sampled_from(NASTY_TIMES), st.times().map(lambda t: t.strftime("%H:%M")))
numbers = st.one_of(
    st.sampled_from(NASTY_NUMBERS), st.integers(-5, 200).map(str), st.integers().map(str)
)

# By an input's type: values of the right shape (in and far out of range).
SHAPED = {"date": days, "time": times, "number": numbers, "email": st.just("a@example.org")}


# By an input's type: good values, so that the other fields' hostile values get through.
GOOD = {
    "date": st.dates(date(2026, 11, 1), date(2027, 3, 1)).map(date.isoformat),
    "time": st.sampled_from(["09:00", "10:30", "15:00", "17:00", "23:59"]),
    "number": st.integers(0, 30).map(str),
    "email": st.just("someone@example.org"),
    "text": st.sampled_from(["Amina", "Lektiecafé", "Ørsted", "2015", "x"]),
}


# The extremes sent to every field of a kind at once, the other fields good: the values that
# broke something once, tried on every form before the random examples. A tuple's values go to
# the fields of that kind in page order, in turn (a period from the first to the second).
CHOICES = {"select", "radio", "checkbox", "hidden", "button", "submit"}
EXTREMES: dict[str, list[tuple[str, ...]]] = {
    "text": [("a\x00b\x01c",), ("y" * LONG,)],
    "choice": [("99999999999",), ("²",), ("\x00",)],
    "date": [
        ("0001-01-01", "9999-12-31"),
        ("2026-12-01", "9999-12-31"),
        ("0001-01-01", "2026-12-01"),
        ("9999-12-31",),
        ("2024-02-30",),
    ],
    "time": [("24:00",)],
    "number": [("99999999999",), ("-2147483649",), ("9" * 5000,)],
}
FIXED_GOOD = {
    "date": ("2026-12-01", "2026-12-31"),
    "time": ("10:00", "12:00"),
    "number": ("5",),
    "email": ("someone@example.org",),
    "tel": ("+45 20 12 34 56",),
    "text": ("Amina",),
}
TYPED = {"text", "email", "tel", "number", "date", "time", "password", "search"}


def kind_group(fld: Field) -> str:
    if fld.kind in CHOICES:
        return "choice"
    return fld.kind if fld.kind in EXTREMES else "text"


def good_value(fld: Field, turn: int = 0) -> str:
    """The page's own default (a selected option, a checked box, a filled-in value), else the
    first value it offers, else a fixed one of the field's shape (the ``turn``-th field of a
    shape gets the ``turn``-th: a start before an end)."""
    if fld.default is not None and (fld.default or fld.kind not in TYPED):
        return fld.default
    offered = sorted(fld.values - {""})
    if offered:
        return offered[0]
    if fld.values and fld.kind not in TYPED:  # an empty select or text area: left so
        return ""
    fixed = FIXED_GOOD.get(fld.kind, FIXED_GOOD["text"])
    return fixed[turn % len(fixed)]


def good_values(fld: Field) -> st.SearchStrategy[str]:
    """A value the form likely accepts: one it offers itself, else one of the right shape."""
    if fld.values - {""}:
        return st.sampled_from(sorted(fld.values))
    return GOOD.get(fld.kind, GOOD["text"])


def bad_values(fld: Field) -> st.SearchStrategy[str]:
    """A hostile value, shaped like the field's type half of the time."""
    return st.one_of(SHAPED.get(fld.kind, any_text), hostile)


# --- Forms on a page -------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str = "text"
    values: set[str] = field(default_factory=set)
    default: str | None = None  # what the page sends when nobody touches it
    chance: float = 0.85  # of being sent; a parameter found only in the code is sent less


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)
    other_actions: list[str] = field(default_factory=list)


class FormReader(HTMLParser):
    """Every <form> of a page: its action (made absolute), method and named fields, with the
    values the page offers (defaults, options, radio and checkbox values, submit buttons)."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = Form(urlsplit(action).path, (a.get("method") or "get").upper())
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            if a.get("formaction"):  # a button posting the form elsewhere
                self._form.other_actions.append(
                    urlsplit(urljoin(self.page_url, a["formaction"])).path
                )
            if not a.get("name"):
                return
            kind = a.get("type", "text") if tag == "input" else tag
            fld = self._form.fields.setdefault(a["name"], Field(a["name"], kind))
            if "value" in a:
                fld.values.add(a["value"])
                sent = kind not in ("radio", "checkbox", "submit", "button") or "checked" in a
                if sent and fld.default is None:
                    fld.default = a["value"]
            self._select = fld if tag == "select" else None
            self._textarea = fld if tag == "textarea" else None
            if tag == "textarea":
                fld.values.add("")
                fld.default = ""
        elif tag == "option" and self._select is not None:
            self._select.values.add(a.get("value", ""))
            if self._select.default is None or "selected" in a:
                self._select.default = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and data.strip():
            self._textarea.values.add(data.strip())
            self._textarea.default = data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            form = self._form
            self.forms += [Form(a, form.method, dict(form.fields)) for a in form.other_actions]
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read_forms(page_url: str, html: str) -> list[Form]:
    reader = FormReader(page_url)
    reader.feed(html)
    return reader.forms


# --- Request bodies --------------------------------------------------------------------------


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def urlencode(pairs: Iterable[tuple[str, str | bytes]]) -> str:
    """A query string or form body; values that are not valid UTF-8 stay as their bytes."""
    return "&".join(
        f"{quote_from_bytes(_bytes(name))}={quote_from_bytes(_bytes(value))}"
        for name, value in pairs
    )


def quote_path_part(value: str) -> str:
    return quote_from_bytes(_bytes(value), safe="")


# --- JSON bodies from a JSON schema (the API's contracts) ------------------------------------

NASTY_MOMENTS = [
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+14:00",
    "2026-11-24T14:00:00",  # no offset
    "2026-02-30T10:00:00+01:00",
    "1970-01-01T00:00:00Z",
]
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    hostile,
)
json_any = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=8,
)


def json_for(schema: dict, defs: dict, depth: int = 0) -> st.SearchStrategy:
    """Values for a JSON schema: valid ones, out-of-range ones and values of the wrong type."""
    if "$ref" in schema:
        return json_for(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, depth)
    wrong = json_scalars if depth < 3 else st.none()
    if "const" in schema:
        return st.one_of(st.just(schema["const"]), wrong)
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), wrong)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of(*(json_for(s, defs, depth) for s in schema[key]))
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return st.fixed_dictionaries(
            {},
            optional={name: json_for(sub, defs, depth + 1) for name, sub in properties.items()},
        )
    if kind == "array":
        items = json_for(schema.get("items", {}), defs, depth + 1)
        return st.one_of(st.lists(items, max_size=4), wrong)
    if kind == "integer":
        return st.one_of(st.integers(-5, 60), st.integers(-(2**70), 2**70), wrong)
    if kind == "boolean":
        return st.one_of(st.booleans(), wrong)
    if kind == "string":
        shaped = {
            "uuid": st.uuids().map(str),
            "date-time": st.one_of(
                st.sampled_from(NASTY_MOMENTS),
                st.datetimes().map(lambda moment: moment.isoformat() + "+00:00"),
            ),
        }.get(schema.get("format", ""), any_text)
        return st.one_of(shaped, hostile, wrong)
    return json_any


def raw_json_bodies() -> st.SearchStrategy[bytes]:
    return st.sampled_from(RAW_JSON_BODIES)


# Bodies no schema describes: deep nesting, broken text, lone surrogates, not JSON.
RAW_JSON_BODIES = [
    b"[" * DEEP,
    b"[" * DEEP + b"]" * DEEP,
    b'{"a":' * DEEP,
    b'{"items": ' + b"[" * DEEP,
    b"\xff\xfe\x00",
    b'{"code": "\\ud800"}',
    b'{"code": "\xed\xa0\x80"}',
    b'{"code": "\\u0000"}',
    b"",
    b"null",
    b"1e999999",
    b"9" * 5000,
    json.dumps({"x": "y" * LONG}).encode(),
    string.printable.encode(),
]
