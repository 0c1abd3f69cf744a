"""The shared input bounds (checkin/bounds.py), the JSON depth check (request_limits) and the
form base that applies the bounds to every field by its kind (blueprints/form_base.py)."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.form import BaseForm
from wtforms.validators import NumberRange, Optional

from checkin.blueprints import form_base
from checkin.blueprints.form_base import NameField, RowList, SubForm
from checkin.bounds import parse_day, strip_control_characters
from checkin.request_limits import MAX_JSON_DEPTH, json_too_deep


@pytest.mark.parametrize(
    ("text", "single", "multi"),
    [
        ("a\x00b", "ab", "ab"),
        ("\x01Amina\x1f\x7f", "Amina", "Amina"),
        ("two\r\nlines\tand\ra tab", "two lines and a tab", "two\nlines\tand\na tab"),
        ("lone \ud800surrogate", "lone surrogate", "lone surrogate"),
        ("Ørsted 𝔄 ١٢٣", "Ørsted 𝔄 ١٢٣", "Ørsted 𝔄 ١٢٣"),
    ],
)
def test_control_characters_are_stripped_tabs_and_newlines_kept_where_multiline(
    text, single, multi
):
    assert strip_control_characters(text) == single
    assert strip_control_characters(text, multiline=True) == multi


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        (" 2000-01-01 ", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        ("1999-12-31", None),
        ("2101-01-01", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2024-02-30", None),
        ("2026-W48-2", None),  # an ISO week date: date.fromisoformat would take it
        ("20261124", None),
        ("２０２６-１１-２４", None),  # full-width digits
        ("", None),
        (None, None),
    ],
)
def test_parse_day_reads_only_plausible_iso_days(raw, day):
    assert parse_day(raw) == day


def test_json_depth_counts_brackets_outside_strings():
    assert not json_too_deep(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert json_too_deep(b"[" * (MAX_JSON_DEPTH + 1))
    assert json_too_deep(b"[" * 100_000)
    assert json_too_deep(b'{"a":' * 100_000)
    assert not json_too_deep(b'{"code": "' + b"[" * 100 + b'\\"[["}')  # inside a string
    assert not json_too_deep(b'{"items": [' + b'{"type": "scan"},' * 500 + b"{}]}")
    assert not json_too_deep(b'"unterminated [[[')


class Sample(SubForm):
    note = TextAreaField()
    place = StringField(render_kw={"maxlength": 10})
    name = NameField()
    password = PasswordField()
    day = DateField(validators=[Optional()])
    seats = IntegerField(validators=[Optional()])
    age = IntegerField(validators=[Optional(), NumberRange(0, 120)])


class Household(SubForm):
    people = RowList(StringField(), min_entries=1, max_entries=5)


@pytest.fixture
def ctx(app):
    with app.test_request_context("/?lang=en"):
        yield


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_field_is_bounded_by_its_kind(ctx):
    form = Sample(
        MultiDict(
            {
                "note": "line\r\none\x00",
                "place": "Ørsted\x00 hus 12345",
                "name": "Ali\x01ce",
                "password": "pass\x00word",
                "day": "9999-12-31",
                "seats": "99999999999",
                "age": "121",
            }
        )
    )
    assert not form.validate()
    assert form.note.data == "line\none"
    assert form.place.data == "Ørsted hus 12345"
    assert form.place.errors == ["At most 10 characters."]
    assert form.name.data == "Alice"
    assert "invisible control characters" in str(form.name.errors[0])
    assert form.password.data == "pass\x00word"  # never changed, only bounded
    assert form.day.errors == ["Write a date from 2000 to 2100."]
    assert form.seats.errors == ["The number is too large."]
    assert len(form.age.errors) == 1  # its own range only


@pytest.mark.parametrize("backend", ["sqlite"])
def test_row_lists_read_only_plain_row_numbers(ctx):
    form = Household(MultiDict({"people-0": "Amina", "people-²": "x", "people-" + "9" * 5000: "y"}))
    assert [entry.data for entry in form.people] == ["Amina"]


def test_every_form_of_the_app_is_bounded():
    """A new form that derives from FlaskForm or wtforms.Form directly would miss the bounds."""
    import checkin.blueprints as package

    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    forms = [
        cls
        for cls in _subclasses(BaseForm)
        if cls.__module__.startswith("checkin.") and cls.__module__ != form_base.__name__
    ]
    assert len(forms) > 15
    unbounded = [f"{c.__module__}.{c.__name__}" for c in forms if not issubclass(c, BOUNDED)]
    assert unbounded == []


BOUNDED = (form_base.Form, form_base.SubForm)


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found
