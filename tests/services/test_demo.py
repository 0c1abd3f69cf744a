"""The demo data (``flask demo``) and the two small services it records through: walk-ins and
feedback smileys. Loading the demo takes a few seconds, so each load is checked thoroughly."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from checkin.demo import DEMO_LOGINS, load_demo
from checkin.extensions import db
from checkin.models import (
    Activity,
    ActivityTranslation,
    Area,
    Attendee,
    Booking,
    BookingSession,
    CheckIn,
    Department,
    EffortArea,
    Feedback,
    Occurrence,
    Participant,
    Project,
    User,
    WaitlistEntry,
)
from checkin.models.booking import AGE_BANDS
from checkin.services.ages import age_band, age_in
from checkin.services.clock import local
from checkin.services.desk import record_feedback, register_walk_in
from checkin.services.errors import DomainError
from tests.factories import make_area, make_session, make_user

MODELS = (
    Activity,
    ActivityTranslation,
    Area,
    Attendee,
    Booking,
    BookingSession,
    CheckIn,
    Department,
    EffortArea,
    Feedback,
    Participant,
    Project,
    Occurrence,
    User,
    WaitlistEntry,
)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _counts() -> dict[str, int]:
    return {model.__name__: _count(model) for model in MODELS}


def _seats_mismatches() -> list[tuple[int, int, int]]:
    """Sessions whose seats_taken differs from the sum of their confirmed booking seats."""
    confirmed = (
        select(BookingSession.session_id, func.sum(BookingSession.seats).label("seats"))
        .where(BookingSession.status == "confirmed")
        .group_by(BookingSession.session_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Occurrence.id, Occurrence.seats_taken, func.coalesce(confirmed.c.seats, 0)
        ).outerjoin(confirmed, confirmed.c.session_id == Occurrence.id)
    )
    return [row for row in rows if row[1] != row[2]]


def _check_frame() -> None:
    areas = {a.name: a for a in db.session.scalars(select(Area))}
    assert sorted(name for name, a in areas.items() if a.is_resident_area) == [
        "Energivej-området",
        "Gl. Jennumparken",
        "Glarbjergvej-området",
        "Hermann Stillingsvej-området",
        "Vangdalen",
    ]
    assert sorted(name for name, a in areas.items() if not a.is_resident_area) == [
        "Andet sted i Randers",
        "Uden for Randers",
    ]
    assert {d.name for d in areas["Glarbjergvej-området"].departments} == {
        "Falkevej",
        "Glarbjergvej",
        "Infanterivej",
        "Glentevej",
        "Brigadevej",
        "Hadsundvej",
        "Nørrebrogade",
    }
    assert set(db.session.scalars(select(EffortArea.name))) == {
        "Uddannelse og livschancer",
        "Beskæftigelse",
        "Kriminalitetsforebyggelse",
        "Sammenhængskraft og medborgerskab",
    }
    projects = list(db.session.scalars(select(Project)))
    assert len(projects) == 3
    assert all(p.effort_area is not None and p.funder for p in projects)

    activities = list(db.session.scalars(select(Activity)))
    assert 9 <= len(activities) <= 12
    assert all({t.locale for t in a.translations} == {"en"} for a in activities)
    assert any(not a.signup_required and a.default_capacity is None for a in activities)
    homework = next(a for a in activities if a.name == "Lektiecafé")
    assert (homework.min_age, homework.max_age, homework.default_capacity) == (6, 16, 25)
    assert {(local(s.starts_at).strftime("%a %H:%M")) for s in homework.sessions} == {
        "Tue 15:00",
        "Thu 15:00",
    }

    roles = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert roles == {"admin": 1, "staff": 2, "volunteer": 3}


def _check_people(at) -> None:
    assert _count(Participant) >= 250
    assert _count(Attendee, Attendee.booking_id.is_not(None)) >= 250
    bands = {
        age_band(age_in(at.year, year))
        for year in db.session.scalars(
            select(Participant.birth_year).where(Participant.birth_year.is_not(None))
        )
    }
    assert bands == set(AGE_BANDS)
    assert {"da", "ar", "so", "uk", "tr"} <= set(db.session.scalars(select(Booking.locale)))
    phones = set(db.session.scalars(select(Booking.contact_phone)))
    assert all(re.fullmatch(r"\+45\d{8}", p) for p in phones if p is not None)
    assert all(
        e.endswith(".example") for e in db.session.scalars(select(Booking.contact_email)) if e
    )
    genders = set(db.session.scalars(select(Participant.gender)))
    assert {"female", "male", None} <= genders


def _check_sessions_and_seats(at) -> None:
    starts = list(db.session.scalars(select(Occurrence.starts_at)))
    assert any(s <= at for s in starts)
    assert any(at < s <= at + timedelta(days=62) for s in starts)
    assert all(at - timedelta(days=183) <= s <= at + timedelta(days=62) for s in starts)
    assert _seats_mismatches() == []
    assert _count(BookingSession, BookingSession.status == "waitlisted") >= 1
    assert _count(WaitlistEntry, WaitlistEntry.resolved_at.is_(None)) >= 1
    # The coming trip with 40 seats is full and has a waiting list.
    trip = db.session.scalars(
        select(Occurrence).where(Occurrence.capacity == 40, Occurrence.starts_at > at)
    ).one()
    assert trip.seats_taken == 40
    assert _count(WaitlistEntry, WaitlistEntry.session_id == trip.id) >= 1
    # Nobody waits for a session that has already started.
    assert (
        _count(WaitlistEntry, WaitlistEntry.session_id == Occurrence.id, Occurrence.starts_at <= at)
        == 0
    )


def _check_attendance(at) -> None:
    assert _count(CheckIn, CheckIn.session_id == Occurrence.id, Occurrence.starts_at > at) == 0
    assert _count(CheckIn, CheckIn.occurred_at > at) == 0
    booked_present = _count(
        CheckIn, CheckIn.attendee_id == Attendee.id, Attendee.booking_id.is_not(None)
    )
    confirmed_past = db.session.scalar(
        select(func.sum(BookingSession.seats))
        .join(Occurrence, Occurrence.id == BookingSession.session_id)
        .where(BookingSession.status == "confirmed", Occurrence.starts_at <= at)
    )
    assert 0.15 <= 1 - booked_present / confirmed_past <= 0.25  # realistic no-shows
    walk_ins = list(db.session.scalars(select(CheckIn).where(CheckIn.method == "walk_in")))
    assert walk_ins
    assert all(c.attendee.booking_id is None and c.attendee.participant_id for c in walk_ins)
    headcounts = list(db.session.scalars(select(CheckIn).where(CheckIn.method == "headcount")))
    assert headcounts
    assert all(not c.session.activity.signup_required for c in headcounts)
    recorders = set(
        db.session.scalars(select(User.role).join(CheckIn, CheckIn.recorded_by_id == User.id))
    )
    assert recorders == {"volunteer"}
    assert _count(Feedback) > 0
    assert _count(Feedback, Feedback.session_id == Occurrence.id, Occurrence.ends_at > at) == 0


def test_demo_builds_randers_nordby_and_loads_once(app, frozen_clock):
    at = frozen_clock.at
    summary = load_demo(at=at)
    for word in ("areas", "activities", "sessions", "participants", "check-ins", "feedback"):
        assert word in summary

    _check_frame()
    _check_people(at)
    _check_sessions_and_seats(at)
    _check_attendance(at)

    before = _counts()
    load_demo(at=at + timedelta(days=1))
    assert _counts() == before


def test_demo_command_prints_logins_and_url_and_is_safe_to_repeat(app, frozen_clock):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--url", "http://nordby.test:8000"])
    assert result.exit_code == 0, result.output
    assert "http://nordby.test:8000" in result.output
    assert set(DEMO_LOGINS) == {"admin", "staff", "volunteer"}
    for email, password in DEMO_LOGINS.values():
        assert len(password) >= 10
        assert f"{email} / {password}" in result.output
    before = _counts()
    assert before["Booking"] > 0  # committed, so visible outside the command

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "http://127.0.0.1:5000" in again.output
    assert _counts() == before


# The services the demo records through.


def test_walk_in_gets_a_person_and_a_check_in_but_no_seat(app, frozen_clock):
    session = make_session(capacity=5, starts_in=timedelta(minutes=-5))
    area = make_area()
    volunteer = make_user("volunteer")
    check_in = register_walk_in(
        session,
        first_name=" Amina ",
        age_band="10-12",
        area_id=area.id,
        is_resident=True,
        by=volunteer,
        at=frozen_clock.at,
        client_id="walk-1",
    )
    assert check_in.method == "walk_in"
    assert check_in.recorded_by_id == volunteer.id
    attendee = check_in.attendee
    assert (attendee.booking_id, attendee.first_name, attendee.age_band) == (None, "Amina", "10-12")
    assert attendee.participant_id is not None
    db.session.refresh(session)
    assert session.seats_taken == 0

    replay = register_walk_in(
        session,
        first_name="Amina",
        age_band="10-12",
        area_id=area.id,
        is_resident=True,
        by=volunteer,
        at=frozen_clock.at,
        client_id="walk-1",
    )
    assert replay.id == check_in.id
    assert _count(Attendee) == 1
    assert _count(Participant) == 1


def test_walk_in_band_comes_from_birth_year_and_bad_input_is_refused(app, frozen_clock):
    session = make_session(capacity=None)
    derived = register_walk_in(
        session,
        first_name="Olena",
        age_band=None,
        birth_year=frozen_clock.at.year - 70,
        area_id=None,
        is_resident=False,
        by=None,
        at=frozen_clock.at,
        client_id="w-2",
    )
    assert derived.attendee.age_band == "65+"
    for kwargs, code in (
        ({"first_name": "Omar", "age_band": "7-8"}, "invalid_age_band"),
        ({"first_name": "Omar", "age_band": "18-24", "gender": "x"}, "invalid_gender"),
    ):
        with pytest.raises(DomainError) as excinfo:
            register_walk_in(
                session,
                area_id=None,
                is_resident=None,
                by=None,
                at=frozen_clock.at,
                client_id=f"bad-{code}",
                **kwargs,
            )
        assert excinfo.value.code == code
    session.status = "cancelled"
    with pytest.raises(DomainError) as excinfo:
        register_walk_in(
            session,
            first_name="Omar",
            age_band="18-24",
            area_id=None,
            is_resident=None,
            by=None,
            at=frozen_clock.at,
            client_id="late",
        )
    assert excinfo.value.code == "session_cancelled"


def test_feedback_is_a_smiley_from_one_to_five(app, frozen_clock):
    session = make_session()
    feedback = record_feedback(session, score=5, at=frozen_clock.at)
    assert (feedback.session_id, feedback.score, feedback.source) == (session.id, 5, "kiosk")
    assert record_feedback(session, score=1, at=frozen_clock.at, source="link").source == "link"
    for score, source, code in (
        (0, "kiosk", "invalid_score"),
        (6, "kiosk", "invalid_score"),
        (True, "kiosk", "invalid_score"),
        (3, "email", "invalid_source"),
    ):
        with pytest.raises(DomainError) as excinfo:
            record_feedback(session, score=score, at=frozen_clock.at, source=source)
        assert excinfo.value.code == code
    assert _count(Feedback) == 2


def test_walk_in_may_stay_nameless_and_keeps_the_time_it_happened(app, frozen_clock):
    session = make_session(capacity=None)
    earlier = frozen_clock.at.replace(minute=0) if frozen_clock.at.minute else frozen_clock.at
    row = register_walk_in(
        session,
        first_name="  ",
        age_band="10-12",
        area_id=None,
        is_resident=True,
        by=None,
        at=frozen_clock.at,
        client_id="nameless",
        occurred_at=earlier,
    )
    assert row.attendee.first_name is None
    assert row.attendee.age_band == "10-12"
    assert row.occurred_at == earlier
