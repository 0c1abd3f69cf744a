"""A walk-in's age feeds the funders' age figures, so it never defaults (issue 11, defect 4):
without an age the walk-in is refused, and "don't know" is stored as no band and counted as
unknown, never as 0-5."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from checkin.extensions import db
from checkin.models import Attendee, CheckIn
from checkin.services import clock
from checkin.services.clock import local
from checkin.services.desk import register_walk_in
from checkin.services.errors import DomainError
from checkin.services.stats import StatsFilter, evaluation_tables
from checkin.vocabulary import AGE_UNKNOWN
from tests.factories import make_session


@pytest.fixture
def session(app, frozen_clock):
    return make_session(starts_in=timedelta(minutes=10))


def walk_in(session, **fields):
    return register_walk_in(
        session,
        **{
            "first_name": None,
            "area_id": None,
            "is_resident": None,
            "by": None,
            "at": clock.now(),
            "client_id": str(uuid.uuid4()),
            **fields,
        },
    )


def age_totals(session) -> dict:
    day = local(session.starts_at).date()
    table = next(t for t in evaluation_tables(StatsFilter(day, day)) if t.key == "age_band")
    return {r.group: (r.unique, r.attendances) for r in table.totals()}


def test_a_walk_in_without_an_age_is_refused_and_stores_nobody(session):
    with pytest.raises(DomainError) as refused:
        walk_in(session, age_band=None)
    assert (refused.value.code, refused.value.field) == ("age_required", "age_band")
    assert "Ved ikke" in str(refused.value.message)  # Danish by default, names the way out
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0


def test_dont_know_is_stored_as_no_band_and_counted_as_unknown(session):
    row = walk_in(session, age_band=AGE_UNKNOWN)
    attendee = db.session.get(Attendee, row.attendee_id)
    assert (attendee.age_band, attendee.birth_year) == (None, None)
    walk_in(session, age_band="10-12")
    db.session.commit()
    assert age_totals(session) == {None: (1, 1), "10-12": (1, 1)}  # no "0-5" anywhere


def test_a_birth_year_still_gives_the_band(session):
    row = walk_in(session, age_band=None, birth_year=local(clock.now()).year - 8)
    assert db.session.get(Attendee, row.attendee_id).age_band == "6-9"
