"""The base of every form: what any field accepts, whoever declares it (``checkin.bounds``).

Every form of the app derives from ``Form`` (a part repeated inside a form, such as one person
of a household, from ``SubForm``), so each field is bound through ``BoundedMeta.bind_field``,
which adds the bounds without the form having to say so:

- text (a ``StringField`` and its kinds: text area, e-mail, phone, hidden) loses its control
  characters (a text area keeps its tabs and line breaks, a single line gets spaces for them)
  and holds at most its ``maxlength`` (the number the browser enforces too) or a default;
- a password is bounded in length, but never changed;
- a date lies from 2000 to 2100;
- an integer fits an INTEGER column, unless the field states its own range.

The error shows next to its field and the form keeps what was typed, cleaned. A person's name
(``NameField``) refuses control characters rather than only dropping them, so that a name
pasted with hidden characters is looked at again before it is printed on tickets and lists.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.fields.core import Field
from wtforms.meta import DefaultMeta
from wtforms.validators import NumberRange, ValidationError

from checkin import bounds

TOO_LONG = _l("At most %(max)d characters.")
DAY_OUT_OF_RANGE = _l(
    "Write a date from %(first)d to %(last)d.",
    first=bounds.EARLIEST_DAY.year,
    last=bounds.LATEST_DAY.year,
)
NUMBER_TOO_LARGE = _l("The number is too large.")
NUMBER_TOO_SMALL = _l("The number is too small.")
CONTROL_IN_NAME = _l(
    "The name held invisible control characters. They are removed: check the name and send "
    "the form again."
)
MAX_PASSWORD_LENGTH = 200


def _clean(*, multiline: bool):
    def clean(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return bounds.strip_control_characters(value, multiline=multiline)

    return clean


def _at_most(limit: int):
    def validate(form: Any, field: Field) -> None:
        if field.data is not None and len(field.data) > limit:
            raise ValidationError(TOO_LONG % {"max": limit})

    return validate


def _plausible_day(form: Any, field: Field) -> None:
    if field.data is not None and not bounds.is_plausible_day(field.data):
        raise ValidationError(DAY_OUT_OF_RANGE)


def _fits_a_column(form: Any, field: Field) -> None:
    if field.data is None:
        return
    if field.data > bounds.MAX_INTEGER:
        raise ValidationError(NUMBER_TOO_LARGE)
    if field.data < bounds.MIN_INTEGER:
        raise ValidationError(NUMBER_TOO_SMALL)


def _states_a_range(field: Field) -> bool:
    return any(
        isinstance(v, NumberRange) and v.min is not None and v.max is not None
        for v in field.validators
    )


def bound_field(field: Field) -> Field:
    """``field`` with the bounds of its kind added (see the module's docstring)."""
    extra: list[Any] = []
    if isinstance(field, PasswordField):
        extra.append(_at_most(MAX_PASSWORD_LENGTH))
    elif isinstance(field, StringField):
        multiline = isinstance(field, TextAreaField)
        field.filters = (_clean(multiline=multiline), *field.filters)
        default = bounds.DEFAULT_MAX_LENGTH_MULTILINE if multiline else bounds.DEFAULT_MAX_LENGTH
        extra.append(_at_most(int((field.render_kw or {}).get("maxlength", default))))
    elif isinstance(field, DateField):
        extra.append(_plausible_day)
    elif isinstance(field, IntegerField) and not _states_a_range(field):
        extra.append(_fits_a_column)
    if extra:
        field.validators = [*field.validators, *extra]
    return field


class BoundedMeta(DefaultMeta):
    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
        return bound_field(super().bind_field(form, unbound_field, options))


class Form(FlaskForm):
    """The base of the app's forms (CSRF-protected like any ``FlaskForm``)."""

    class Meta(BoundedMeta, FlaskForm.Meta):
        pass


class SubForm(PlainForm):
    """A part repeated inside a form (in a ``RowList``): no CSRF token of its own."""

    Meta = BoundedMeta


class NameField(StringField):
    """A person's name: control characters are refused (and removed from what is shown)."""

    def pre_validate(self, form: Any) -> None:
        if any(bounds.has_control_characters(raw) for raw in self.raw_data or ()):
            raise ValidationError(CONTROL_IN_NAME)


class RowList(FieldList):
    """A ``FieldList`` that reads only plain row numbers (``attendees-3-...``) from a posted
    form: WTForms would take "²" or a 5,000-digit number for one, and fail on ``int()``."""

    MAX_DIGITS = 4

    def _extract_indices(self, prefix: str, formdata: Any):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = key[offset:].split(self._field_separator, 1)[0]
                if index.isascii() and index.isdigit() and len(index) <= self.MAX_DIGITS:
                    yield int(index)
