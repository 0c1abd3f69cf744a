"""The evaluation definitions (services.stats), each checked against the hand-counted fixture
in ``tests.stats_data``."""

from __future__ import annotations

from datetime import date

import pytest

from checkin.services.stats import (
    StatsFilter,
    attendance_rows,
    evaluation_tables,
    key_figure_rows,
    key_figures,
    session_rows,
    target_progress,
)
from tests.conftest import FROZEN_AT
from tests.stats_data import OCTOBER, build_stats_world


@pytest.fixture
def world(app, frozen_clock):
    return build_stats_world()


def october(**filters) -> StatsFilter:
    return StatsFilter(start=OCTOBER[0], end=OCTOBER[1], **filters)


def figures(**filters):
    return key_figures(october(**filters), at=FROZEN_AT)


def test_key_figures_follow_every_definition(world):
    k = figures()
    assert k.sessions_held == 3  # S1, S2, S3; S4 is cancelled, S0 and S5 outside
    assert k.attendances == 14  # 3 + 2 + (1 + 1 + 5 + 2); the undone check-in is not one
    assert k.headcount_attendances == 7
    assert k.unique_participants == 4  # headcounts are not people; merged Amina once
    assert (k.new_participants, k.returning_participants) == (3, 1)  # Amina came in September
    assert k.retained_participants == 2 and k.retention == 0.5
    assert k.average_per_session == pytest.approx(14 / 3)
    assert k.bookings == 4
    assert (k.booked_expected, k.booked_checked_in, k.no_shows) == (8, 6, 2)
    assert k.attendance_rate == 0.75
    assert k.walk_in_attendances == 1 and k.walk_in_share == pytest.approx(1 / 14)
    assert (k.volunteers, k.volunteer_minutes, k.volunteer_hours) == (2, 270, 4.5)
    assert (k.feedback_count, k.satisfaction) == (3, 4.0)
    assert k.feedback_scores == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    rows = {key: value for key, _label, _kind, value in key_figure_rows(k)}
    assert rows["retention"] == 50.0 and rows["average_per_session"] == 4.7
    assert rows["attendance_rate"] == 75.0 and rows["walk_in_share"] == 7.1


def test_new_and_returning_across_the_period_boundary(world):
    september = key_figures(
        StatsFilter(start=date(2026, 9, 1), end=date(2026, 9, 30)), at=FROZEN_AT
    )
    assert (september.unique_participants, september.new_participants) == (1, 1)
    autumn = key_figures(StatsFilter(start=date(2026, 9, 1), end=date(2026, 10, 31)), at=FROZEN_AT)
    assert (autumn.unique_participants, autumn.new_participants) == (4, 4)


def test_project_filter(world):
    k = figures(project_id=world.project_x)
    people = (k.sessions_held, k.attendances, k.unique_participants, k.new_participants)
    assert people == (2, 5, 3, 2)
    assert (k.bookings, k.booked_expected, k.booked_checked_in) == (3, 7, 5)
    assert (k.volunteers, k.feedback_count, k.walk_in_attendances) == (1, 2, 0)
    y = figures(activity_id=world.activity_y)
    counted = (y.sessions_held, y.attendances, y.unique_participants, y.headcount_attendances)
    assert counted == (1, 9, 2, 7)


def test_person_filters(world):
    away = figures(area_id=world.area_away)
    assert (away.attendances, away.unique_participants, away.headcount_attendances) == (1, 1, 0)
    assert (away.bookings, away.booked_expected, away.no_shows) == (1, 1, 1)
    assert away.sessions_held == 3  # sessions are not people: person filters leave them
    children = figures(age_band="10-12")
    assert (children.attendances, children.unique_participants) == (5, 2)
    assert children.new_participants == 1  # Sofie; Amina is returning
    women = figures(gender="female")
    assert (women.attendances, women.unique_participants, women.no_shows) == (5, 2, 0)
    adults = figures(age_band="30-64")
    assert (adults.attendances, adults.unique_participants, adults.no_shows) == (2, 0, 1)


def _totals(key: str) -> dict:
    table = next(t for t in evaluation_tables(october()) if t.key == key)
    return {r.group: (r.unique, r.attendances, r.new, r.returning) for r in table.totals()}


def test_breakdowns_by_age_band_gender_area_and_residence(world):
    assert _totals("age_band") == {
        "10-12": (2, 5, 1, 1),
        "13-14": (1, 1, 1, 0),
        "25-29": (1, 1, 1, 0),
        "30-64": (0, 2, 0, 0),
        "child": (0, 5, 0, 0),  # a headcount group stays a group, reported apart
    }
    assert _totals("gender") == {"female": (2, 5, 1, 1), "male": (2, 2, 2, 0), None: (0, 7, 0, 0)}
    assert _totals("area") == {
        world.area_home: (3, 6, 2, 1),
        world.area_away: (1, 1, 1, 0),
        None: (0, 7, 0, 0),
    }
    assert _totals("residence") == {
        "resident": (3, 6, 2, 1),
        "non_resident": (1, 1, 1, 0),
        None: (0, 7, 0, 0),
    }
    labels = [r.group_label for r in next(t for t in evaluation_tables(october())).rows]
    assert labels[0] == "Alle"  # Danish by default


def test_project_and_activity_rows(world):
    table = next(t for t in evaluation_tables(october()) if t.key == "project")
    rows = {(r.project_id, r.activity_id): (r.unique, r.attendances, r.new) for r in table.rows}
    assert rows == {
        (None, None): (4, 14, 3),
        (world.project_x, None): (3, 5, 2),
        (world.project_x, world.activity_x): (3, 5, 2),
        (world.project_y, None): (2, 9, 1),
        (world.project_y, world.activity_y): (2, 9, 1),
    }
    age = next(t for t in evaluation_tables(october()) if t.key == "age_band")
    per_activity = {r.group: r.attendances for r in age.rows if r.activity_id == world.activity_y}
    assert per_activity == {"10-12": 1, "25-29": 1, "30-64": 2, "child": 5}


def test_attendance_rows_add_up_to_the_key_figures(world):
    rows = list(attendance_rows(october(), at=FROZEN_AT))
    assert sum(r.attendances for r in rows) == 14
    no_shows = [r for r in rows if r.status == "no_show"]
    assert sorted(r.first_name for r in no_shows) == ["Lars", "Omar"]
    assert {r.kind for r in rows} == {"booked", "walk_in", "headcount"}
    amina = {r.pseudonym for r in rows if r.first_name == "Amina"}
    assert len(amina) == 1  # the merged participant carries one pseudonym
    lars = no_shows[0] if no_shows[0].first_name == "Lars" else no_shows[1]
    where = (lars.area, lars.residence, lars.age_band, lars.department)
    assert where == ("Udenbys", "non_resident", "30-64", None)
    assert rows[0].session_date == date(2026, 10, 6)


def test_target_progress(world):
    (progress,) = target_progress(october(), at=FROZEN_AT)
    assert (progress.owner, progress.metric, progress.target) == (
        "Lektiecafé",
        "unique_participants",
        10,
    )
    assert progress.actual == 3  # measured over the target's own period (Oct-Dec)
    assert progress.progress == 0.3
    assert 0.5 < progress.elapsed < 0.6 and not progress.on_track
    assert target_progress(october(project_id=world.project_y), at=FROZEN_AT) == []


def test_session_list(world):
    from checkin.extensions import db
    from checkin.models import Occurrence

    rows = session_rows(db.session.get(Occurrence, world.sessions["S2"]))
    people = {(r.first_name, r.kind, r.seat, r.attendances) for r in rows}
    assert people == {
        ("Amina", "booked", "confirmed", 1),
        ("Omar", "booked", "confirmed", 0),
        ("Sofie", "booked", "confirmed", 1),
    }
    rows = session_rows(db.session.get(Occurrence, world.sessions["S3"]))
    assert sorted(r.kind for r in rows) == ["booked", "headcount", "headcount", "walk_in"]
    assert sum(r.attendances for r in rows) == 9


def test_the_period_is_in_copenhagen_time(world):
    with pytest.raises(ValueError):
        StatsFilter(start=date(2026, 10, 2), end=date(2026, 10, 1))
    f = StatsFilter(start=date(2026, 7, 1), end=date(2026, 7, 1))
    assert f.start_utc.isoformat() == "2026-06-30T22:00:00+00:00"
    assert f.as_dict() == {"start": "2026-07-01", "end": "2026-07-01"}
