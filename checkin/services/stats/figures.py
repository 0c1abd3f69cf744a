"""Evaluation figures: the one service the dashboard, the CSV and XLSX exports and the annual
report all compute from (DESIGN.md §4 invariant 5). Everything is counted from check-in rows.

Definitions (see also ``stats_facts`` for attendances, people's attributes and filters):

- **Sessions held**: scheduled (not cancelled) sessions that started in the period, by ``at``.
- **Bookings**: distinct bookings holding a confirmed seat at a scheduled session of the period.
- **Attendances**: active person check-ins, plus ``count`` of every anonymous headcount.
- **Unique participants**: distinct resolved participants among person check-ins; headcounts
  are never people.
- **New** participants: those whose first-ever attendance (all activities, all time) falls in
  the period; **returning**: attended in the period and also before it. New + returning =
  unique.
- **Retention**: the share of the period's participants who came on two or more distinct days
  (Copenhagen dates of session starts) within the period.
- **Average per session**: attendances / sessions held.
- **No-shows**: confirmed booked attendees at ended sessions of the period without a check-in
  there; **attendance rate**: checked-in / confirmed booked attendees at ended sessions.
- **Walk-in share**: walk-in attendances (method "walk_in", or an attendee without a booking) /
  attendances. Anonymous headcounts are not walk-ins of known people and are reported apart.
- **Volunteers and hours**: distinct users with a shift at a session of the period, and the
  sum of their shift minutes.
- **Satisfaction**: the mean smiley (1-5) given for sessions of the period.

Person filters (area, age band, gender) narrow the person figures (attendances, participants,
bookings, no-shows); sessions, volunteers and satisfaction belong to sessions, not people, and
follow only the period, project and activity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, NamedTuple, TypedDict

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, distinct, func, select

from checkin.extensions import db
from checkin.models import Activity, Feedback, Occurrence, Project, Target, VolunteerShift
from checkin.services.clock import local
from checkin.services.stats.facts import (
    StatsFilter,
    booked_facts,
    checkin_facts,
    first_seen,
    in_period,
)
from checkin.vocabulary import SessionStatus, TargetMetric

__all__ = [
    "KeyFigures",
    "StatsFilter",
    "TargetProgress",
    "key_figure_rows",
    "key_figures",
    "target_progress",
]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class KeyFigures:
    sessions_held: int
    bookings: int
    attendances: int
    headcount_attendances: int
    unique_participants: int
    new_participants: int
    retained_participants: int
    booked_expected: int
    booked_checked_in: int
    walk_in_attendances: int
    volunteers: int
    volunteer_minutes: int
    feedback_count: int
    satisfaction: float | None
    feedback_scores: dict[int, int] = field(default_factory=dict)

    @property
    def returning_participants(self) -> int:
        return self.unique_participants - self.new_participants

    @property
    def retention(self) -> float | None:
        return _share(self.retained_participants, self.unique_participants)

    @property
    def average_per_session(self) -> float | None:
        return _share(self.attendances, self.sessions_held)

    @property
    def no_shows(self) -> int:
        return self.booked_expected - self.booked_checked_in

    @property
    def attendance_rate(self) -> float | None:
        return _share(self.booked_checked_in, self.booked_expected)

    @property
    def walk_in_share(self) -> float | None:
        return _share(self.walk_in_attendances, self.attendances)

    @property
    def volunteer_hours(self) -> float:
        return self.volunteer_minutes / 60


# "persons" marks counts of people (suppressed under 3 in pseudonymous exports), "percent" a
# share shown as 0-100, "decimal" a number shown with one decimal.
FigureKind = Literal["count", "persons", "percent", "decimal"]

# (key, label, kind), in the order pages and exports show them.
KEY_FIGURES: tuple[tuple[str, LazyString, FigureKind], ...] = (
    ("sessions_held", _l("Sessions held"), "count"),
    ("bookings", _l("Bookings"), "count"),
    ("attendances", _l("Attendances"), "count"),
    ("headcount_attendances", _l("Of these, anonymous headcount"), "count"),
    ("unique_participants", _l("Unique participants"), "persons"),
    ("new_participants", _l("New participants"), "persons"),
    ("returning_participants", _l("Returning participants"), "persons"),
    ("retention", _l("Retention (came on 2+ days), %"), "percent"),
    ("average_per_session", _l("Average attendances per session"), "decimal"),
    ("attendance_rate", _l("Attendance rate of booked people, %"), "percent"),
    ("no_shows", _l("No-shows"), "count"),
    ("walk_in_share", _l("Walk-in share, %"), "percent"),
    ("volunteers", _l("Volunteers"), "persons"),
    ("volunteer_hours", _l("Volunteer hours"), "decimal"),
    ("satisfaction", _l("Satisfaction (1-5)"), "decimal"),
    ("feedback_count", _l("Smileys given"), "count"),
)


class KeyFigureRow(NamedTuple):
    key: str
    label: LazyString
    kind: FigureKind
    value: int | float | None


def key_figure_rows(figures: KeyFigures) -> list[KeyFigureRow]:
    """(key, label, kind, value) for every key figure, rounded as shown everywhere: percentages
    as 0-100 with one decimal, other fractions with one decimal, None where undefined."""
    rows = []
    for key, label, kind in KEY_FIGURES:
        value: int | float | None = getattr(figures, key)
        if value is not None and kind == "percent":
            value = round(100 * value, 1)
        elif value is not None and kind == "decimal":
            value = round(value, 1)
        rows.append(KeyFigureRow(key, label, kind, value))
    return rows


class _PersonFigures(TypedDict):
    attendances: int
    headcount_attendances: int
    walk_in_attendances: int
    unique_participants: int
    new_participants: int
    retained_participants: int


class _BookingFigures(TypedDict):
    bookings: int
    booked_expected: int
    booked_checked_in: int


class _SessionFigures(TypedDict):
    sessions_held: int
    volunteers: int
    volunteer_minutes: int
    feedback_count: int
    satisfaction: float | None
    feedback_scores: dict[int, int]


def _person_figures(f: StatsFilter) -> _PersonFigures:
    facts = checkin_facts(f)
    first = first_seen()
    new = func.count(distinct(case((first.c.first_at >= f.start_utc, facts.c.person_id))))
    row = db.session.execute(
        select(
            func.coalesce(func.sum(facts.c.attendances), 0),
            func.coalesce(func.sum(facts.c.headcounts), 0),
            func.coalesce(func.sum(facts.c.walk_ins), 0),
            func.count(distinct(facts.c.person_id)),
            new,
        ).select_from(facts.outerjoin(first, first.c.person_id == facts.c.person_id))
    ).one()
    # Retention: a participant came on 2+ days exactly when their first and last session of
    # the period fall on different Copenhagen dates. One row per participant.
    spans = db.session.execute(
        select(func.min(facts.c.starts_at), func.max(facts.c.starts_at))
        .where(facts.c.person_id.is_not(None))
        .group_by(facts.c.person_id)
    )
    retained = sum(
        1 for first_at, last_at in spans if local(first_at).date() != local(last_at).date()
    )
    return {
        "attendances": int(row[0]),
        "headcount_attendances": int(row[1]),
        "walk_in_attendances": int(row[2]),
        "unique_participants": int(row[3]),
        "new_participants": int(row[4]),
        "retained_participants": retained,
    }


def _booking_figures(f: StatsFilter, *, at: datetime) -> _BookingFigures:
    booked = booked_facts(f)
    ended = booked.c.ends_at <= at
    row = db.session.execute(
        select(
            func.count(distinct(booked.c.booking_id)),
            func.coalesce(func.sum(case((ended, 1), else_=0)), 0),
            func.coalesce(
                func.sum(case((ended & booked.c.check_in_id.is_not(None), 1), else_=0)), 0
            ),
        )
    ).one()
    return {
        "bookings": int(row[0]),
        "booked_expected": int(row[1]),
        "booked_checked_in": int(row[2]),
    }


def _session_figures(f: StatsFilter, *, at: datetime) -> _SessionFigures:
    held = db.session.scalar(
        select(func.count(Occurrence.id))
        .join(Activity, Activity.id == Occurrence.activity_id)
        .where(
            Occurrence.status == SessionStatus.SCHEDULED, Occurrence.starts_at <= at, *in_period(f)
        )
    )
    volunteers, minutes = db.session.execute(
        select(func.count(distinct(VolunteerShift.user_id)), func.sum(VolunteerShift.minutes))
        .join(Occurrence, Occurrence.id == VolunteerShift.session_id)
        .join(Activity, Activity.id == Occurrence.activity_id)
        .where(*in_period(f))
    ).one()
    scores = dict(
        db.session.execute(
            select(Feedback.score, func.count(Feedback.id))
            .join(Occurrence, Occurrence.id == Feedback.session_id)
            .join(Activity, Activity.id == Occurrence.activity_id)
            .where(*in_period(f))
            .group_by(Feedback.score)
        ).all()
    )
    count = sum(scores.values())
    return {
        "sessions_held": int(held or 0),
        "volunteers": int(volunteers or 0),
        "volunteer_minutes": int(minutes or 0),
        "feedback_count": count,
        "satisfaction": sum(s * n for s, n in scores.items()) / count if count else None,
        "feedback_scores": {s: int(scores.get(s, 0)) for s in range(1, 6)},
    }


def key_figures(f: StatsFilter, *, at: datetime) -> KeyFigures:
    """The period's key figures under filter ``f``, as they stand at ``at`` (which sessions have
    started or ended). Definitions in the module docstring."""
    return KeyFigures(
        **_person_figures(f), **_booking_figures(f, at=at), **_session_figures(f, at=at)
    )


@dataclass(frozen=True)
class TargetProgress:
    target_id: int
    owner: str
    project_id: int
    activity_id: int | None
    metric: TargetMetric
    target: int
    actual: int
    period_start: date
    period_end: date
    description: str | None
    elapsed: float  # share of the target's period passed at ``at``, 0-1

    @property
    def progress(self) -> float:
        """actual / target (may pass 1)."""
        return self.actual / self.target if self.target else 1.0

    @property
    def on_track(self) -> bool:
        return self.progress >= self.elapsed


def _measure(figures: KeyFigures, metric: TargetMetric) -> int:
    """The key figure a target's metric counts."""
    if metric == TargetMetric.UNIQUE_PARTICIPANTS:
        return figures.unique_participants
    if metric == TargetMetric.ATTENDANCES:
        return figures.attendances
    if metric == TargetMetric.SESSIONS_HELD:
        return figures.sessions_held
    return figures.new_participants


def target_progress(f: StatsFilter, *, at: datetime) -> list[TargetProgress]:
    """Progress of every target whose period overlaps the filter's period, for the filter's
    project or activity (a project filter includes its activities' targets). Each target is
    measured over its own period and owner, as of ``at``, without person filters: a target is
    set for everyone the activity reaches. One query for the targets, then one set of figures
    per distinct (owner, period): targets are few."""
    query = (
        select(Target, Activity)
        .outerjoin(Activity, Activity.id == Target.activity_id)
        .where(Target.period_start <= f.end, Target.period_end >= f.start)
        .order_by(Target.period_start, Target.id)
    )
    if f.activity_id is not None:
        query = query.where(Target.activity_id == f.activity_id)
    elif f.project_id is not None:
        query = query.where(
            (Target.project_id == f.project_id) | (Activity.project_id == f.project_id)
        )
    names = dict(db.session.execute(select(Project.id, Project.name)).all())
    cache: dict[tuple[date, date, int | None, int | None], KeyFigures] = {}
    today = local(at).date()
    result = []
    # The outer join leaves the activity None for a project's target.
    owned: Sequence[tuple[Target, Activity | None]] = db.session.execute(query).all()
    for target, activity in owned:
        scope = StatsFilter(
            start=target.period_start,
            end=target.period_end,
            project_id=target.project_id,
            activity_id=target.activity_id,
        )
        key = (scope.start, scope.end, scope.project_id, scope.activity_id)
        if key not in cache:
            cache[key] = key_figures(scope, at=at)
        days = (target.period_end - target.period_start).days + 1
        passed = min(max((today - target.period_start).days + 1, 0), days)
        project_id = activity.project_id if activity is not None else target.project_id
        if project_id is None:  # ruled out by the target's one_owner constraint
            raise ValueError(f"target {target.id} belongs to neither an activity nor a project")
        result.append(
            TargetProgress(
                target_id=target.id,
                owner=activity.name if activity is not None else names.get(project_id, ""),
                project_id=project_id,
                activity_id=target.activity_id,
                metric=target.metric,
                target=target.value,
                actual=_measure(cache[key], target.metric),
                period_start=target.period_start,
                period_end=target.period_end,
                description=target.description,
                elapsed=passed / days,
            )
        )
    return result


METRIC_LABELS = {
    TargetMetric.UNIQUE_PARTICIPANTS: _l("Unique participants"),
    TargetMetric.ATTENDANCES: _l("Attendances"),
    TargetMetric.SESSIONS_HELD: _l("Sessions held"),
    TargetMetric.NEW_PARTICIPANTS: _l("New participants"),
}
