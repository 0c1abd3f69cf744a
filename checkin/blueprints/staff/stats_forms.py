"""Forms of the dashboard, the exports page and the annual report: they only parse the
filter; ``services.stats`` decides what is counted."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from checkin.extensions import db
from checkin.models import Activity, Area, Project
from checkin.models.booking import AGE_BANDS
from checkin.services.stats import GENDER_LABELS, StatsFilter


def _optional_int(value: str | None) -> int | None:
    return int(value) if value not in (None, "", "None") and str(value).isdigit() else None


def _choices(query) -> list[SelectChoice]:
    return [SelectChoice(str(i), name) for i, name in db.session.execute(query)]


class StatsFilterForm(FlaskForm):
    """The period and filters, read from the query string (GET: no CSRF token needed)."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    project = SelectField(_l("Project"), coerce=str, validators=[Optional()])
    activity = SelectField(_l("Activity"), coerce=str, validators=[Optional()])
    area = SelectField(_l("Area"), coerce=str, validators=[Optional()])
    age_band = SelectField(_l("Age band"), coerce=str, validators=[Optional()])
    gender = SelectField(_l("Gender"), coerce=str, validators=[Optional()])

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        everyone = [SelectChoice("", _l("All"))]
        projects = select(Project.id, Project.name).order_by(Project.name)
        activities = select(Activity.id, Activity.name).order_by(Activity.name)
        areas = select(Area.id, Area.name).order_by(Area.sort_order, Area.name)
        self.project.choices = everyone + _choices(projects)
        self.activity.choices = everyone + _choices(activities)
        self.area.choices = everyone + _choices(areas)
        self.age_band.choices = everyone + [SelectChoice(band, band) for band in AGE_BANDS]
        self.gender.choices = everyone + [SelectChoice(k, v) for k, v in GENDER_LABELS.items()]

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The period ends before it starts."))

    def to_filter(self) -> StatsFilter:
        """The filter chosen, or this year so far where the form is empty or invalid."""
        return self.filter_from_data(valid=self.validate())

    def filter_from_data(self, *, valid: bool) -> StatsFilter:
        if not valid:
            self.start.data, self.end.data = date(self.today.year, 1, 1), self.today
            return StatsFilter(start=self.start.data, end=self.end.data)
        start = self.start.data or date(self.today.year, 1, 1)
        end = self.end.data or max(self.today, start)
        self.start.data, self.end.data = start, end
        return StatsFilter(
            start=start,
            end=end,
            project_id=_optional_int(self.project.data),
            activity_id=_optional_int(self.activity.data),
            area_id=_optional_int(self.area.data),
            age_band=self.age_band.data or None,
            gender=self.gender.data or None,
        )


class ExportForm(StatsFilterForm):
    """An export: what, which format, the filter, and the explicit choice to include names."""

    class Meta:
        csrf = True

    kind = RadioField(
        _l("What to export"),
        choices=[
            SelectChoice(
                "evaluation", _l("Evaluation tables (figures by project, age band, gender, area)")
            ),
            SelectChoice("key_figures", _l("Key figures")),
            SelectChoice("attendance", _l("Attendance rows (one row per attendance or no-show)")),
        ],
        default="evaluation",
    )
    fmt = RadioField(
        _l("File format"),
        choices=[SelectChoice("xlsx", _l("Excel (XLSX)")), SelectChoice("csv", _l("CSV"))],
        default="xlsx",
    )
    include_names = BooleanField(
        _l("Include names and small numbers (administrators only; the export is logged)")
    )


class YearForm(FlaskForm):
    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)])
