"""Forms for residents: the household sign-up, contact details, confirmations.

Fields are forgiving on purpose (plain text, no browser validation): the services decide what
is valid and the view puts their message next to the field, keeping everything typed.
"""

from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from checkin.blueprints.form_base import Form, NameField, RowList, SubForm
from checkin.boundary import parse_id
from checkin.models import Area

# A hard cap on rows a request may create; the real limit is BOOKING_MAX_ATTENDEES.
MAX_ROWS = 50
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")

# The values of checkin.vocabulary.Gender, plus "not stated".
GENDER_CHOICES = [
    SelectChoice("", _l("Not stated")),
    SelectChoice("female", _l("Female")),
    SelectChoice("male", _l("Male")),
    SelectChoice("other", _l("Other")),
]


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


class AttendeeForm(SubForm):
    """One person in the household. A row left completely empty is ignored."""

    first_name = NameField(
        _l("First name"), render_kw={"autocomplete": "off", "dir": "auto", "maxlength": 80}
    )
    birth_year = StringField(
        _l("Birth year"),
        render_kw={
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "maxlength": 4,
            "autocomplete": "off",
        },
    )
    gender = SelectField(
        _l("Gender (optional)"), choices=GENDER_CHOICES, default="", validate_choice=False
    )

    def is_blank(self) -> bool:
        return not (self.first_name.data or "").strip() and not (self.birth_year.data or "").strip()

    def year(self) -> int | None:
        match = _YEAR.match(self.birth_year.data or "")
        return int(match.group(1)) if match else None


class ContactFieldsForm(Form):
    """The contact person: name, phone and/or e-mail, where they live, language."""

    name = NameField(
        _l("Your name"), render_kw={"autocomplete": "name", "dir": "auto", "maxlength": 160}
    )
    phone = TelField(_l("Phone"), render_kw={"autocomplete": "tel", "maxlength": 32})
    email = EmailField(
        _l("E-mail"), render_kw={"autocomplete": "email", "maxlength": 254, "dir": "ltr"}
    )
    residence = SelectField(_l("Where do you live?"), choices=[], validate_choice=False)
    language = SelectField(_l("Language for messages"), choices=[], validate_choice=False)

    def set_choices(self, areas: list[Area], languages: list[tuple[str, str]]) -> None:
        self.residence.choices = residence_choices(areas)
        self.language.choices = [SelectChoice(code, name) for code, name in languages]

    def validate_residence(self, field: SelectField) -> None:
        if not self.has_residence_choices():
            return
        if not field.data or field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose where you live."))

    def has_residence_choices(self) -> bool:
        return len(self.residence.choices) > 1

    def validate_language(self, field: SelectField) -> None:
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a language."))

    def residence_ids(self) -> tuple[int | None, int | None]:
        """(area id, department id) from the chosen option ("a12" or "d34")."""
        value = self.residence.data or ""
        place_id = parse_id(value[1:])
        if place_id is not None and value[0] == "a":
            return place_id, None
        if place_id is not None and value[0] == "d":
            return None, place_id
        return None, None


def residence_value(area_id: int | None, department_id: int | None) -> str:
    if department_id is not None:
        return f"d{department_id}"
    return f"a{area_id}" if area_id is not None else ""


def residence_choices(areas: list[Area]) -> list[SelectChoice]:
    """Options grouped by area: each department of an estate, the estate itself when it has no
    departments, and the places outside the plan (elsewhere in Randers, outside Randers)."""
    if not areas:
        return [SelectChoice("", "")]
    choices = [SelectChoice("", _l("Choose…"))]
    others: list[SelectChoice] = []
    for area in areas:
        departments = [d for d in area.departments if d.active]
        if area.is_resident_area and departments:
            choices += [
                SelectChoice(f"d{d.id}", f"{d.name} ({area.name})", optgroup=area.name)
                for d in departments
            ]
        else:
            others.append(SelectChoice(f"a{area.id}", area.name))
    other_places = str(_l("Other places"))
    choices += [SelectChoice(c.value, c.label, optgroup=other_places) for c in others]
    return choices


class SignupForm(ContactFieldsForm):
    """The household sign-up on an activity page."""

    # Messages shown above the form and above the people rows (see blueprints.form_errors).
    general_errors: tuple[str, ...] | list[str] = ()
    attendees_errors: tuple[str, ...] | list[str] = ()

    session_id = RadioField(_l("Which date?"), choices=[], validate_choice=False, coerce=str)
    scope = RadioField(
        _l("How often?"),
        choices=[
            SelectChoice("session", _l("Only this date")),
            SelectChoice("series", _l("All coming dates")),
        ],
        default="session",
        validate_choice=False,
    )
    attendees = RowList(FormField(AttendeeForm), min_entries=1, max_entries=MAX_ROWS)
    is_adult = RadioField(
        _l("Who are you?"),
        choices=[
            SelectChoice("yes", _l("I am 18 or older, or the parent or guardian of the children")),
            SelectChoice("no", _l("I am 15 to 17 years old and sign up myself")),
        ],
        validate_choice=False,
    )
    # A honeypot: hidden from people and screen readers (CSS display: none), tempting to bots.
    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off"})
    idempotency_key = HiddenField()
    add_person = SubmitField(_l("Add a person"))
    join_waitlist = SubmitField(_l("Yes, put us on the waiting list"))
    submit = SubmitField(_l("Sign up"))

    def validate_scope(self, field: RadioField) -> None:
        if field.data not in ("session", "series"):
            raise ValidationError(_l("Choose a date."))

    def validate_session_id(self, field: RadioField) -> None:
        if self.scope.data == "session" and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a date."))

    def validate_is_adult(self, field: RadioField) -> None:
        if field.data not in ("yes", "no"):
            raise ValidationError(_l("Tell us if you are 18 or older."))

    def valid_idempotency_key(self) -> str | None:
        key = self.idempotency_key.data or ""
        return key if _IDEMPOTENCY_KEY.match(key) else None

    def filled_rows(self) -> list[AttendeeForm]:
        return [entry.form for entry in self.attendees if not entry.form.is_blank()]

    def check_rows(self, *, year: int) -> bool:
        """Each filled row needs a first name and a plausible birth year."""
        ok = True
        for entry in self.attendees:
            row: AttendeeForm = entry.form
            if row.is_blank():
                continue
            if not (row.first_name.data or "").strip():
                row.first_name.errors = [_l("Write the first name.")]
                ok = False
            elif len(row.first_name.data.strip()) > 80:
                row.first_name.errors = [_l("The name is too long.")]
                ok = False
            birth_year = row.year()
            if birth_year is None or not year - 120 <= birth_year <= year:
                row.birth_year.errors = [_l("Write the year of birth with 4 digits, e.g. 2015.")]
                ok = False
            if row.gender.data not in {c.value for c in GENDER_CHOICES}:
                row.gender.errors = [_l("Choose from the list.")]
                ok = False
        return ok


class ContactForm(ContactFieldsForm):
    """Changing the contact details of a booking."""

    submit = SubmitField(_l("Save"))


class ConfirmForm(Form):
    """A yes-button with CSRF protection, for cancellations."""

    submit = SubmitField(_l("Yes, cancel"))
