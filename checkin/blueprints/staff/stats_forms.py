"""Forms of the dashboard, the exports page and the annual report: they only parse the
filter; ``services.stats`` decides what is counted."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from checkin.blueprints.form_base import Form
from checkin.boundary import parse_id
from checkin.bounds import MAX_PERIOD_DAYS, is_plausible_period
from checkin.extensions import db
from checkin.models import Activity, Area, Project
from checkin.models.booking import AGE_BANDS
from checkin.services.stats import GENDER_LABELS, StatsFilter


def _choices(query) -> list[SelectChoice]:
    return [SelectChoice(str(i), name) for i, name in db.session.execute(query)]


class StatsFilterForm(Form):
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
        if not (field.data and self.start.data):
            return
        if field.data < self.start.data:
            raise ValidationError(_l("The period ends before it starts."))
        if not is_plausible_period(self.start.data, field.data):
            raise ValidationError(
                _l("A period is at most %(years)d years.", years=MAX_PERIOD_DAYS // 366)
            )

    def to_filter(self) -> StatsFilter:
        """The filter chosen; where the form is invalid, this year so far, while the form keeps
        what was typed and shows why next to the field."""
        return self.chosen_filter() if self.validate() else self.default_filter()

    def chosen_filter(self) -> StatsFilter:
        """The filter of a validated form; a missing start is the first of January of the end's
        year (or this year), a missing end today (or the start, if later)."""
        start, end = self.start.data, self.end.data
        if start is None:
            start = date((end or self.today).year, 1, 1)
        if end is None:
            end = max(self.today, start)
        if not is_plausible_period(start, end):  # only a start, long ago: the years after it
            end = start + timedelta(days=MAX_PERIOD_DAYS - 1)
        self.start.data, self.end.data = start, end
        return StatsFilter(
            start=start,
            end=end,
            project_id=parse_id(self.project.data or ""),
            activity_id=parse_id(self.activity.data or ""),
            area_id=parse_id(self.area.data or ""),
            age_band=self.age_band.data or None,
            gender=self.gender.data or None,
        )

    def default_filter(self) -> StatsFilter:
        return StatsFilter(start=date(self.today.year, 1, 1), end=self.today)

    def show_default(self) -> None:
        """Fill an empty form with the default period."""
        default = self.default_filter()
        self.start.data, self.end.data = default.start, default.end


def filter_args(f: StatsFilter) -> dict[str, str]:
    """A filter as the form's fields ("" for "all"), for the links and hidden fields that pass
    it on."""
    values = {
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        "project": f.project_id,
        "activity": f.activity_id,
        "area": f.area_id,
        "age_band": f.age_band,
        "gender": f.gender,
    }
    return {name: "" if value is None else str(value) for name, value in values.items()}


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


class YearForm(Form):
    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)])
