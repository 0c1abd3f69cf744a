"""Row-level data for exports: one row per attendance or no-show, and a session's list.

Rows are pseudonymous: the person is the resolved participant's random ``pseudonym``. Names
are added only when the caller asks (``services.exports`` allows that for admins only). The
attendance rows are streamed from the database (``yield_per``: a server-side cursor on
PostgreSQL), never loaded all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy import case, literal_column, select, union_all

from checkin.extensions import db
from checkin.models import (
    Activity,
    Area,
    Attendee,
    BookingSession,
    CheckIn,
    Department,
    Occurrence,
    Participant,
    Project,
)
from checkin.services.ages import age_band, age_in
from checkin.services.clock import local
from checkin.services.stats.facts import StatsFilter, booked_facts, checkin_facts
from checkin.vocabulary import SeatStatus

STREAM_BATCH = 500

# How a person is on a list: booked, walked in without a booking, or counted anonymously.
RowKind = Literal["booked", "walk_in", "headcount"]


@dataclass(frozen=True)
class AttendanceRow:
    pseudonym: str | None  # None for an anonymous headcount
    first_name: str | None
    last_name: str | None
    age_band: str | None
    gender: str | None
    area: str | None
    department: str | None
    residence: Literal["resident", "non_resident"] | None
    project: str
    activity: str
    session_id: int
    session_date: date
    kind: RowKind
    status: Literal["checked_in", "no_show"]
    attendances: int  # 1 for a person present, the count for a headcount, 0 for a no-show


def _names(model: type[Project | Activity | Area | Department]) -> dict[int, str]:
    return dict(db.session.execute(select(model.id, model.name)).all())


def attendance_rows(f: StatsFilter, *, at: datetime) -> Iterator[AttendanceRow]:
    """Every attendance of the period under ``f`` (the same check-ins ``key_figures`` counts)
    and every no-show (a confirmed booked attendee at a session ended by ``at`` without a
    check-in), ordered by session. The sum of ``attendances`` equals the key figure."""
    facts = checkin_facts(f)
    booked = booked_facts(f)
    kind = case(
        (facts.c.headcounts > 0, literal_column("'headcount'")),
        (facts.c.walk_ins > 0, literal_column("'walk_in'")),
        else_=literal_column("'booked'"),
    )
    common: tuple[str, ...] = ("starts_at", "session_id", "project_id", "activity_id", "pseudonym")
    common += ("first_name", "last_name", "age_band", "gender", "area_id", "department_id")
    common += ("residence",)
    present = select(
        *(facts.c[name] for name in common),
        kind.label("kind"),
        literal_column("'checked_in'").label("status"),
        facts.c.attendances.label("attendances"),
        facts.c.check_in_id.label("row_id"),
    )
    absent = select(
        *(booked.c[name] for name in common),
        literal_column("'booked'").label("kind"),
        literal_column("'no_show'").label("status"),
        literal_column("0").label("attendances"),
        booked.c.attendee_id.label("row_id"),
    ).where(booked.c.ends_at <= at, booked.c.check_in_id.is_(None))
    rows = union_all(present, absent).subquery("rows")
    query = select(rows).order_by(rows.c.starts_at, rows.c.session_id, rows.c.status, rows.c.row_id)
    projects, activities = _names(Project), _names(Activity)
    areas, departments = _names(Area), _names(Department)
    result = db.session.execute(query.execution_options(yield_per=STREAM_BATCH))
    for row in result:
        yield AttendanceRow(
            pseudonym=row.pseudonym,
            first_name=row.first_name,
            last_name=row.last_name,
            age_band=row.age_band,
            gender=row.gender,
            area=areas.get(row.area_id),
            department=departments.get(row.department_id),
            residence=row.residence,
            project=projects.get(row.project_id, ""),
            activity=activities.get(row.activity_id, ""),
            session_id=row.session_id,
            session_date=local(_aware(row.starts_at)).date(),
            kind=row.kind,
            status=row.status,
            attendances=int(row.attendances),
        )


def _aware(moment: datetime) -> datetime:
    # A UNION's columns lose the UTCDateTime type on some drivers: naive values are UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SessionListRow:
    pseudonym: str | None
    first_name: str | None
    last_name: str | None
    age_band: str | None
    kind: RowKind
    seat: SeatStatus | None  # confirmed or waitlisted; None without a seat
    checked_in_at: datetime | None  # local time
    attendances: int


def _resolve(participant_id: int | None) -> Participant | None:
    participant = db.session.get(Participant, participant_id) if participant_id else None
    seen: set[int] = set()
    while participant is not None and participant.merged_into_id and participant.id not in seen:
        seen.add(participant.id)
        participant = db.session.get(Participant, participant.merged_into_id)
    return participant


def _band(attendee: Attendee, year: int) -> str | None:
    if attendee.birth_year is not None:
        return age_band(max(age_in(year, attendee.birth_year), 0))
    return attendee.age_band


def session_rows(session: Occurrence) -> list[SessionListRow]:
    """The people of one session for staff: booked attendees with a confirmed or waitlisted
    seat (and whether they came), walk-ins and anonymous headcounts. A session's list is small,
    so it is built in memory."""
    year = local(session.starts_at).year
    active = db.session.scalars(
        select(CheckIn)
        .where(CheckIn.session_id == session.id, CheckIn.undone_at.is_(None))
        .order_by(CheckIn.occurred_at, CheckIn.id)
    ).all()
    present = {row.attendee_id: row for row in active if row.attendee_id is not None}
    seated = db.session.execute(
        select(Attendee, BookingSession.status)
        .join(BookingSession, BookingSession.booking_id == Attendee.booking_id)
        .where(
            BookingSession.session_id == session.id,
            BookingSession.status.in_((SeatStatus.CONFIRMED, SeatStatus.WAITLISTED)),
            (Attendee.cancelled_at.is_(None)) | (Attendee.cancelled_at > session.starts_at),
        )
        .order_by(Attendee.first_name, Attendee.id)
    ).all()
    rows: list[SessionListRow] = []
    listed: set[int] = set()
    for attendee, status in seated:
        listed.add(attendee.id)
        rows.append(_person_row(attendee, "booked", status, present.get(attendee.id), year))
    walk_ins = [a for a in present if a not in listed]
    for attendee in db.session.scalars(select(Attendee).where(Attendee.id.in_(walk_ins))):
        kind: RowKind = "walk_in" if attendee.booking_id is None else "booked"
        rows.append(_person_row(attendee, kind, None, present[attendee.id], year))
    for check_in in active:
        if check_in.attendee_id is None:
            rows.append(
                SessionListRow(
                    None,
                    None,
                    None,
                    check_in.age_band,
                    "headcount",
                    None,
                    local(check_in.occurred_at),
                    check_in.count,
                )
            )
    return rows


def _person_row(
    attendee: Attendee,
    kind: RowKind,
    seat: SeatStatus | None,
    check_in: CheckIn | None,
    year: int,
) -> SessionListRow:
    participant = _resolve(attendee.participant_id)
    return SessionListRow(
        pseudonym=participant.pseudonym if participant else None,
        first_name=attendee.first_name,
        last_name=attendee.last_name,
        age_band=_band(attendee, year),
        kind=kind,
        seat=seat,
        checked_in_at=local(check_in.occurred_at) if check_in else None,
        attendances=1 if check_in else 0,
    )
