"""Weekly series: local wall-clock times across daylight saving, skipped dates, bad rules."""

import time as time_module
from datetime import UTC, date, datetime, time

import pytest

from checkin.services import clock
from checkin.services.errors import DomainError
from checkin.services.planning import create_weekly_series, weekly_dates
from tests.factories import make_activity

TUESDAY = 1


def _series(activity, **overrides):
    rule = {
        "weekdays": [TUESDAY],
        "start_time": time(15, 0),
        "end_time": time(17, 0),
        "first_date": date(2027, 3, 16),
        "last_date": date(2027, 4, 6),
        "at": clock.now(),
    }
    rule.update(overrides)
    return create_weekly_series(activity, **rule)


def test_series_keeps_local_time_across_spring_dst(app, frozen_clock):
    # Summer time starts on Sunday 28 March 2027: 15:00 is 14:00 UTC before, 13:00 UTC after.
    activity = make_activity(default_capacity=12)
    sessions = _series(activity)
    starts = [s.starts_at for s in sessions]
    assert starts == [
        datetime(2027, 3, 16, 14, tzinfo=UTC),
        datetime(2027, 3, 23, 14, tzinfo=UTC),
        datetime(2027, 3, 30, 13, tzinfo=UTC),
        datetime(2027, 4, 6, 13, tzinfo=UTC),
    ]
    assert all(clock.local(s.starts_at).time() == time(15) for s in sessions)
    assert all(clock.local(s.ends_at).time() == time(17) for s in sessions)
    assert {s.capacity for s in sessions} == {12}


def test_series_keeps_local_time_across_autumn_dst(app, frozen_clock):
    # Winter time starts on Sunday 31 October 2027.
    activity = make_activity()
    sessions = _series(
        activity,
        weekdays=[TUESDAY, 3],
        first_date=date(2027, 10, 26),
        last_date=date(2027, 11, 4),
        capacity=5,
    )
    assert [s.starts_at.hour for s in sessions] == [13, 13, 14, 14]
    assert [clock.local(s.starts_at).day for s in sessions] == [26, 28, 2, 4]
    assert {s.capacity for s in sessions} == {5}


def test_skip_dates_are_left_out(app, frozen_clock):
    activity = make_activity()
    sessions = _series(activity, skip_dates=[date(2027, 3, 23), date(2027, 3, 24)])
    assert [clock.local(s.starts_at).date() for s in sessions] == [
        date(2027, 3, 16),
        date(2027, 3, 30),
        date(2027, 4, 6),
    ]


def test_weekly_dates_includes_both_ends():
    days = weekly_dates(weekdays=[0], first_date=date(2027, 1, 4), last_date=date(2027, 1, 18))
    assert days == [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)]


def test_weekly_dates_stop_one_past_their_limit_and_never_overflow():
    to_the_end = weekly_dates(weekdays=[4], first_date=date(9999, 12, 1), last_date=date.max)
    assert to_the_end[-1] == date(9999, 12, 31)  # a Friday, the last day there is
    started = time_module.monotonic()
    days = weekly_dates(weekdays=[0], first_date=date(2027, 1, 4), last_date=date.max, limit=3)
    assert days == [date(2027, 1, d) for d in (4, 11, 18, 25)]
    assert time_module.monotonic() - started < 0.5  # not 2.9 million days


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"end_time": time(15, 0)}, "invalid_time"),
        ({"end_time": time(14, 0)}, "invalid_time"),
        ({"last_date": date(2027, 3, 1)}, "invalid_period"),
        ({"weekdays": []}, "no_weekday"),
        (
            {"skip_dates": [date(2027, 3, d) for d in (16, 23, 30)] + [date(2027, 4, 6)]},
            "empty_series",
        ),
        ({"last_date": date(2031, 12, 31)}, "series_too_long"),
        ({"last_date": date.max}, "series_too_long"),  # was an OverflowError past 9999-12-31
    ],
)
def test_bad_rules_are_refused(app, frozen_clock, overrides, code):
    activity = make_activity()
    with pytest.raises(DomainError) as refused:
        _series(activity, **overrides)
    assert refused.value.code == code
    assert activity.sessions == []
