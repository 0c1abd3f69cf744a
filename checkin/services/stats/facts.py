"""The SQL every evaluation figure is built from: the filter, and the "facts" subqueries.

Definitions (shared by the dashboard, the exports and the annual report, see ``stats``):

- An **attendance** is one active check-in row (``undone_at`` is NULL) of a person, or ``count``
  for an anonymous headcount row. Check-ins at a session that was cancelled afterwards still
  count: the people were there.
- A **person's attributes** are those recorded on the attendee, falling back to the
  participant they resolve to: the age band is the age at the session (session year in
  Copenhagen minus birth year), else the stored band; headcount rows keep their band or their
  headcount group (child, youth, adult, senior). Residence comes from the area's
  ``is_resident_area``, else from the stored ``is_resident`` flag.
- A **participant** is resolved through ``merged_into_id`` chains to the participant it was
  merged into, so a merged person is counted once.
- Person filters (area, age band, gender) keep only check-ins whose person matches; anonymous
  headcounts carry no area or gender, so those filters drop them, and only a headcount with
  that very evaluation band matches an age band filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import CTE, case, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement, Select, Subquery
from sqlalchemy.sql.elements import SQLCoreOperations

from checkin.models import (
    Activity,
    Area,
    Attendee,
    Booking,
    BookingSession,
    CheckIn,
    Occurrence,
    Participant,
)
from checkin.services.clock import LOCAL_TZ
from checkin.vocabulary import AgeBand, CheckInMethod, SeatStatus, SessionStatus

Ts = TypeVarTuple("Ts")

# (first age above the band, band), youngest first; 65+ is what is left.
_BAND_LIMITS: tuple[tuple[int, str], ...] = (
    (6, "0-5"),
    (10, "6-9"),
    (13, "10-12"),
    (15, "13-14"),
    (18, "15-17"),
    (25, "18-24"),
    (30, "25-29"),
    (65, "30-64"),
)


def local_midnight(day: date) -> datetime:
    """The start of ``day`` in Copenhagen, as an aware UTC datetime."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


@dataclass(frozen=True)
class StatsFilter:
    """What to count: sessions starting from ``start`` to ``end`` (both inclusive, Copenhagen
    dates), optionally one project or activity, and people of one area, age band or gender."""

    start: date
    end: date
    project_id: int | None = None
    activity_id: int | None = None
    area_id: int | None = None
    age_band: str | None = None
    gender: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
        if self.age_band is not None and self.age_band not in frozenset(AgeBand):
            raise ValueError(f"unknown age band {self.age_band!r}")

    @classmethod
    def for_year(cls, year: int, **filters: Any) -> StatsFilter:
        return cls(start=date(year, 1, 1), end=date(year, 12, 31), **filters)

    @property
    def start_utc(self) -> datetime:
        return local_midnight(self.start)

    @property
    def end_utc(self) -> datetime:
        """The exclusive end: midnight after ``end``."""
        return local_midnight(self.end + timedelta(days=1))

    @property
    def has_person_filter(self) -> bool:
        return any(v is not None for v in (self.area_id, self.age_band, self.gender))

    def as_dict(self) -> dict[str, Any]:
        """Plain values for the audit log."""
        values = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for name in ("project_id", "activity_id", "area_id", "age_band", "gender"):
            if getattr(self, name) is not None:
                values[name] = getattr(self, name)
        return values


def in_period(
    f: StatsFilter, starts_at: SQLCoreOperations[datetime] = Occurrence.starts_at
) -> list[ColumnElement[bool]]:
    """Sessions of the filter's period, project and activity."""
    where: list[ColumnElement[bool]] = [starts_at >= f.start_utc, starts_at < f.end_utc]
    if f.project_id is not None:
        where.append(Activity.project_id == f.project_id)
    if f.activity_id is not None:
        where.append(Activity.id == f.activity_id)
    return where


def participant_roots(name: str = "participant_root") -> CTE:
    """A recursive CTE mapping every participant id to the participant it resolves to through
    ``merged_into_id`` (itself when not merged). One per subquery, each with its own name."""
    roots = (
        select(Participant.id.label("id"), Participant.id.label("root_id"))
        .where(Participant.merged_into_id.is_(None))
        .cte(name, recursive=True)
    )
    child = aliased(Participant)
    return roots.union_all(
        select(child.id, roots.c.root_id).join(roots, child.merged_into_id == roots.c.id)
    )


def session_year(
    f: StatsFilter, starts_at: SQLCoreOperations[datetime] = Occurrence.starts_at
) -> ColumnElement[int]:
    """The Copenhagen calendar year of a session in the period, as a portable CASE."""
    whens = [
        (starts_at >= local_midnight(date(year, 1, 1)), year)
        for year in range(f.end.year, f.start.year, -1)
    ]
    return case(*whens, else_=f.start.year) if whens else literal(f.start.year)


def band_of_age(age: ColumnElement[int]) -> ColumnElement[str]:
    """``services.ages.age_band`` in SQL (a negative age counts as 0-5)."""
    return case(*((age < limit, band) for limit, band in _BAND_LIMITS), else_="65+")


class PersonColumns:
    """The SQL expressions for one person's attributes at a session."""

    def __init__(self, f: StatsFilter, roots: CTE, session: type[Occurrence] = Occurrence) -> None:
        self.roots = roots
        self.root = aliased(Participant, name="root_participant")
        self.area = aliased(Area, name="person_area")
        root = self.root
        self.person_id = func.coalesce(roots.c.root_id, Attendee.participant_id)
        birth_year = func.coalesce(Attendee.birth_year, root.birth_year)
        age = session_year(f, session.starts_at) - birth_year
        self.person_band = case((birth_year.is_(None), Attendee.age_band), else_=band_of_age(age))
        self.gender = func.coalesce(Attendee.gender, root.gender)
        self.area_id = func.coalesce(Attendee.area_id, root.area_id)
        self.department_id = func.coalesce(Booking.department_id, root.department_id)
        stated = func.coalesce(Attendee.is_resident, root.is_resident)
        self.residence = case(
            (self.area.is_resident_area.is_(True), "resident"),
            (self.area.is_resident_area.is_(False), "non_resident"),
            (stated.is_(True), "resident"),
            (stated.is_(False), "non_resident"),
            else_=None,
        )

    def join(self, query: Select[*Ts]) -> Select[*Ts]:
        """Add the person joins to a query that already selects from Attendee."""
        return (
            query.outerjoin(self.roots, self.roots.c.id == Attendee.participant_id)
            .outerjoin(self.root, self.root.id == self.person_id)
            .outerjoin(Booking, Booking.id == Attendee.booking_id)
            .outerjoin(self.area, self.area.id == self.area_id)
        )

    def filters(self, f: StatsFilter, band: ColumnElement[Any]) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if f.area_id is not None:
            where.append(self.area_id == f.area_id)
        if f.gender is not None:
            where.append(self.gender == f.gender)
        if f.age_band is not None:
            where.append(band == f.age_band)
        return where


def walk_in_expr() -> ColumnElement[bool]:
    """A walk-in attendance: recorded as a walk-in, or of an attendee without a booking."""
    return (CheckIn.method == CheckInMethod.WALK_IN) | (
        CheckIn.attendee_id.is_not(None) & Attendee.booking_id.is_(None)
    )


def checkin_facts(f: StatsFilter) -> Subquery:
    """One row per active check-in at a session of the period that matches the filter:
    session, activity, project, person (resolved participant id, NULL for a headcount),
    attendances, walk-in attendances and the person's attributes."""
    roots = participant_roots()
    person = PersonColumns(f, roots)
    band = case((CheckIn.attendee_id.is_(None), CheckIn.age_band), else_=person.person_band)
    query = (
        select(
            CheckIn.id.label("check_in_id"),
            CheckIn.session_id.label("session_id"),
            Occurrence.starts_at.label("starts_at"),
            Activity.id.label("activity_id"),
            Activity.project_id.label("project_id"),
            CheckIn.attendee_id.label("attendee_id"),
            person.person_id.label("person_id"),
            CheckIn.count.label("attendances"),
            case((walk_in_expr(), CheckIn.count), else_=0).label("walk_ins"),
            case((CheckIn.attendee_id.is_(None), CheckIn.count), else_=0).label("headcounts"),
            band.label("age_band"),
            person.gender.label("gender"),
            person.area_id.label("area_id"),
            person.department_id.label("department_id"),
            person.residence.label("residence"),
            person.root.pseudonym.label("pseudonym"),
            Attendee.first_name.label("first_name"),
            Attendee.last_name.label("last_name"),
        )
        .select_from(CheckIn)
        .join(Occurrence, Occurrence.id == CheckIn.session_id)
        .join(Activity, Activity.id == Occurrence.activity_id)
        .outerjoin(Attendee, Attendee.id == CheckIn.attendee_id)
    )
    query = person.join(query).where(CheckIn.undone_at.is_(None), *in_period(f))
    return query.where(*person.filters(f, band)).subquery("facts")


def first_seen() -> Subquery:
    """Each resolved participant's first-ever attendance (session start), across all time and
    all activities: what makes a participant new or returning."""
    roots = participant_roots("first_root")
    person_id = func.coalesce(roots.c.root_id, Attendee.participant_id)
    return (
        select(person_id.label("person_id"), func.min(Occurrence.starts_at).label("first_at"))
        .select_from(CheckIn)
        .join(Attendee, Attendee.id == CheckIn.attendee_id)
        .join(Occurrence, Occurrence.id == CheckIn.session_id)
        .outerjoin(roots, roots.c.id == Attendee.participant_id)
        .where(CheckIn.undone_at.is_(None), person_id.is_not(None))
        .group_by(person_id)
        .subquery("first_seen")
    )


def booked_facts(f: StatsFilter) -> Subquery:
    """One row per booked attendee holding a confirmed seat at a scheduled session of the
    period (attendees cancelled before the session started are not expected), with whether the
    session has ended and whether the attendee was checked in there."""
    roots = participant_roots("booked_root")
    person = PersonColumns(f, roots)
    present = aliased(CheckIn, name="present")
    query = (
        select(
            BookingSession.booking_id.label("booking_id"),
            Attendee.id.label("attendee_id"),
            Occurrence.id.label("session_id"),
            Occurrence.starts_at.label("starts_at"),
            Occurrence.ends_at.label("ends_at"),
            Activity.id.label("activity_id"),
            Activity.project_id.label("project_id"),
            person.person_id.label("person_id"),
            person.person_band.label("age_band"),
            person.gender.label("gender"),
            person.area_id.label("area_id"),
            person.department_id.label("department_id"),
            person.residence.label("residence"),
            person.root.pseudonym.label("pseudonym"),
            Attendee.first_name.label("first_name"),
            Attendee.last_name.label("last_name"),
            present.id.label("check_in_id"),
        )
        .select_from(BookingSession)
        .join(Occurrence, Occurrence.id == BookingSession.session_id)
        .join(Activity, Activity.id == Occurrence.activity_id)
        .join(Attendee, Attendee.booking_id == BookingSession.booking_id)
    )
    query = person.join(query).outerjoin(
        present,
        (present.attendee_id == Attendee.id)
        & (present.session_id == Occurrence.id)
        & present.undone_at.is_(None),
    )
    return query.where(
        BookingSession.status == SeatStatus.CONFIRMED,
        Occurrence.status == SessionStatus.SCHEDULED,
        or_(Attendee.cancelled_at.is_(None), Attendee.cancelled_at > Occurrence.starts_at),
        *in_period(f),
        *person.filters(f, person.person_band),
    ).subquery("booked")
