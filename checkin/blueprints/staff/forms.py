"""Forms of the staff back office. Fields only parse; the services decide what is valid."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from checkin.blueprints.form_base import Form, NameField
from checkin.bounds import parse_day
from checkin.services.planning import MAX_CAPACITY
from checkin.vocabulary import Role, TargetGroup, TargetMetric

TARGET_GROUP_LABELS = {
    "children": _l("Children"),
    "youth": _l("Young people"),
    "adults": _l("Adults"),
    "seniors": _l("Seniors"),
    "families": _l("Families"),
    "everyone": _l("Everyone"),
}
METRIC_LABELS = {
    "unique_participants": _l("Unique participants"),
    "attendances": _l("Attendances"),
    "sessions_held": _l("Sessions held"),
    "new_participants": _l("New participants"),
}
ROLE_LABELS = {"admin": _l("Administrator"), "staff": _l("Staff"), "volunteer": _l("Volunteer")}
WEEKDAYS = [
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
]
_NUMBER = {"inputmode": "numeric"}
_SEATS = NumberRange(0, MAX_CAPACITY)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProjectForm(Form):
    name = StringField(_l("Name"), validators=[InputRequired()], render_kw={"maxlength": 160})
    effort_area = SelectField(_l("Effort area"), choices=[], validate_choice=False)
    new_effort_area = StringField(_l("Or a new effort area"), render_kw={"maxlength": 120})
    funder = StringField(_l("Funder"), render_kw={"maxlength": 160})
    description = TextAreaField(_l("Description"))
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class ActivityForm(Form):
    project = SelectField(_l("Project"), choices=[], validate_choice=False)
    name = StringField(_l("Name"), validators=[InputRequired()], render_kw={"maxlength": 160})
    description = TextAreaField(_l("Description"))
    target_group = SelectField(
        _l("Target group"),
        choices=[SelectChoice(g, TARGET_GROUP_LABELS[g]) for g in TargetGroup],
        default="everyone",
    )
    min_age = IntegerField(
        _l("Lowest age"), validators=[Optional(), NumberRange(0, 120)], render_kw=_NUMBER
    )
    max_age = IntegerField(
        _l("Highest age"), validators=[Optional(), NumberRange(0, 120)], render_kw=_NUMBER
    )
    place = StringField(_l("Place"), render_kw={"maxlength": 200})
    default_capacity = IntegerField(
        _l("Seats per session"), validators=[Optional(), _SEATS], render_kw=_NUMBER
    )
    signup_required = BooleanField(_l("Sign-up needed (otherwise open, just come)"), default=True)
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))

    translation_locales: tuple[tuple[str, str], ...] = ()

    def set_projects(self, projects) -> None:
        self.project.choices = [SelectChoice(str(p.id), p.name) for p in projects]

    def validate_project(self, field: SelectField) -> None:
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a project."))

    def translation_fields(self):
        """(locale, language name, name field, description field) per extra language."""
        return [
            (code, language, self[f"name_{code}"], self[f"description_{code}"])
            for code, language in self.translation_locales
        ]


def activity_form_class(languages: list[tuple[str, str]]) -> type[ActivityForm]:
    """The activity form with a name and description field for each language besides the
    default (Danish) one: ``languages`` is [(code, language name in the UI language)]."""
    fields = {"translation_locales": tuple(languages)}
    for code, language in languages:
        fields[f"name_{code}"] = StringField(
            _l("Name in %(language)s", language=language),
            render_kw={"maxlength": 160, "lang": code},
        )
        fields[f"description_{code}"] = TextAreaField(
            _l("Description in %(language)s", language=language), render_kw={"lang": code}
        )
    return type("ActivityFormWithTranslations", (ActivityForm,), fields)


class TargetForm(Form):
    metric = SelectField(
        _l("What is counted"),
        choices=[SelectChoice(m, METRIC_LABELS[m]) for m in TargetMetric],
    )
    value = IntegerField(
        _l("Target"), validators=[InputRequired(), NumberRange(min=1)], render_kw=_NUMBER
    )
    period_start = DateField(_l("From"), validators=[InputRequired()])
    period_end = DateField(_l("To"), validators=[InputRequired()])
    description = StringField(_l("Note"), render_kw={"maxlength": 200})
    submit = SubmitField(_l("Add target"))


class SessionForm(Form):
    day = DateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(_l("Starts"), validators=[InputRequired()])
    end_time = TimeField(_l("Ends"), validators=[InputRequired()])
    place = StringField(_l("Place (if not the activity's)"), render_kw={"maxlength": 200})
    capacity = IntegerField(
        _l("Seats (empty: the activity's)"),
        validators=[Optional(), _SEATS],
        render_kw=_NUMBER,
    )
    note = TextAreaField(_l("Note for staff"))
    submit = SubmitField(_l("Save"))


class SeriesForm(Form):
    weekdays = CheckboxesField(
        _l("Weekdays"),
        choices=[SelectChoice(str(i), name) for i, name in enumerate(WEEKDAYS)],
        coerce=int,
    )
    start_time = TimeField(_l("Starts"), validators=[InputRequired()])
    end_time = TimeField(_l("Ends"), validators=[InputRequired()])
    first_date = DateField(_l("First date"), validators=[InputRequired()])
    last_date = DateField(_l("Last date"), validators=[InputRequired()])
    skip_dates = TextAreaField(_l("Skip these dates"))
    place = StringField(_l("Place (if not the activity's)"), render_kw={"maxlength": 200})
    capacity = IntegerField(
        _l("Seats (empty: the activity's)"),
        validators=[Optional(), _SEATS],
        render_kw=_NUMBER,
    )
    submit = SubmitField(_l("Create the sessions"))

    def validate_skip_dates(self, field: TextAreaField) -> None:
        self.skipped = []
        for raw in re.split(r"[\s,;]+", field.data or ""):
            if not raw:
                continue
            day = parse_day(raw)
            if day is None:
                raise ValidationError(_l("Write each date as YYYY-MM-DD, e.g. 2027-04-13."))
            self.skipped.append(day)


class CapacityForm(Form):
    capacity = IntegerField(
        _l("Seats (empty: no limit)"),
        validators=[Optional(), _SEATS],
        render_kw=_NUMBER,
    )
    submit = SubmitField(_l("Change capacity"))


class CancelSessionForm(Form):
    reason = StringField(
        _l("Why is it cancelled?"), validators=[InputRequired()], render_kw={"maxlength": 200}
    )
    submit = SubmitField(_l("Yes, cancel the session"))


class MoveBookingForm(Form):
    from_session = SelectField(_l("From"), choices=[], validate_choice=False)
    to_session = SelectField(_l("To"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Move"))


class ConfirmForm(Form):
    submit = SubmitField(_l("Confirm"))


class UserForm(Form):
    email = EmailField(_l("E-mail"), validators=[InputRequired()], render_kw={"maxlength": 254})
    name = NameField(_l("Name"), render_kw={"maxlength": 160})
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in Role], default="volunteer"
    )
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Save"))


class PasswordForm(Form):
    password = PasswordField(
        _l("New password"), validators=[InputRequired()], render_kw={"autocomplete": "new-password"}
    )
    submit = SubmitField(_l("Set password"))


class AssignForm(Form):
    activity = SelectField(_l("Activity"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Assign"))


class DeskScopeForm(Form):
    assigned_only = BooleanField(_l("At the check-in desk, only at these activities"))
    submit = SubmitField(_l("Save"))


class HoursForm(Form):
    user = SelectField(_l("Volunteer"), choices=[], validate_choice=False)
    minutes = IntegerField(
        _l("Minutes"), validators=[InputRequired(), NumberRange(0, 1440)], render_kw=_NUMBER
    )
    submit = SubmitField(_l("Save hours"))
