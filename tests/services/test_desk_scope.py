"""Who may write at the door, and when (``checkin.services.desk.scope``): the window's edges,
who is held to it, offline actions judged by when they happened, and the desk's session list."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from checkin.extensions import db
from checkin.services import clock
from checkin.services.accounts import assign_volunteer, set_desk_assigned_only
from checkin.services.desk import (
    SyncItem,
    create_desk_link,
    list_desk_sessions,
    record_desk_headcount,
    record_paper_attendance,
    scan_ticket,
    sync_scans,
)
from checkin.services.errors import DomainError
from tests.factories import make_activity, make_booking, make_session, make_user

_ids = itertools.count(1)


def cid() -> str:
    return f"scope-{next(_ids)}"


def headcount(session, **actor):
    return record_desk_headcount(
        session,
        age_band="adult",
        count=1,
        at=clock.now(),
        occurred_at=None,
        client_id=cid(),
        **actor,
    )


@pytest.fixture
def session(app, frozen_clock):
    """15:00-17:00 Copenhagen time today; the desk window is 13:00-21:00 by default."""
    return make_session(starts_in=timedelta(hours=1), hours=2)


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [
        (timedelta(hours=-2, minutes=-1), False),  # a minute before the window opens
        (timedelta(hours=-2), True),  # as it opens
        (timedelta(hours=6), True),  # as it closes: 4 hours after the end
        (timedelta(hours=6, minutes=1), False),
    ],
)
def test_the_windows_edges(session, frozen_clock, offset, allowed):
    volunteer = make_user("volunteer")
    frozen_clock.set(session.starts_at + offset)
    if allowed:
        assert headcount(session, by=volunteer, desk=None).result == "ok"
    else:
        with pytest.raises(DomainError) as refused:
            headcount(session, by=volunteer, desk=None)
        assert refused.value.code == "outside_desk_window"


def test_the_window_is_configured(app, session, frozen_clock):
    app.config["DESK_WINDOW_BEFORE_MINUTES"] = 30
    volunteer = make_user("volunteer")
    with pytest.raises(DomainError):
        headcount(session, by=volunteer, desk=None)  # an hour before: too early now
    frozen_clock.advance(minutes=31)
    assert headcount(session, by=volunteer, desk=None).result == "ok"


def test_staff_admins_and_the_system_are_not_held(session):
    tomorrow = make_session(starts_in=timedelta(days=1))
    for by in (make_user("staff"), make_user("admin"), None):
        assert headcount(tomorrow, by=by, desk=None).result == "ok"


def test_paper_ticks_by_staff_after_the_session(session, frozen_clock):
    booking = make_booking(session)
    frozen_clock.advance(days=3)
    added, _ = record_paper_attendance(
        session,
        [booking.attendees[0].id],
        by=make_user("staff"),
        at=clock.now(),
        client_id=cid(),
    )
    assert added == 1


def test_an_offline_action_is_judged_by_when_it_happened(session, frozen_clock):
    volunteer = make_user("volunteer")
    code = make_booking(session).attendees[0].ticket_code
    during = session.starts_at + timedelta(minutes=5)
    frozen_clock.advance(days=1)  # synced the next day

    def item(**fields):
        return SyncItem(type="headcount", client_id=cid(), age_band="adult", **fields)

    answers = sync_scans(
        [
            SyncItem(type="scan", client_id=cid(), occurred_at=during, code=code),
            item(occurred_at=session.starts_at - timedelta(hours=3)),  # before the door opened
            item(occurred_at=clock.now()),  # "now": long after the window
        ],
        session=session,
        by=volunteer,
        desk=None,
        at=clock.now(),
    )
    assert [a.result for a in answers] == ["ok", "outside_desk_window", "outside_desk_window"]


def test_an_online_action_is_judged_by_the_servers_time(session, frozen_clock):
    """Online, the time the tablet claims does not open a closed window."""
    volunteer = make_user("volunteer")
    during = session.starts_at + timedelta(minutes=5)
    frozen_clock.advance(days=1)
    with pytest.raises(DomainError) as refused:
        scan_ticket(
            "X",
            session=session,
            by=volunteer,
            desk=None,
            at=clock.now(),
            occurred_at=during,
            client_id=cid(),
        )
    assert refused.value.code == "outside_desk_window"


def test_a_replayed_action_answers_even_after_the_window(session, frozen_clock):
    volunteer = make_user("volunteer")
    first = record_desk_headcount(
        session,
        age_band="adult",
        count=2,
        by=volunteer,
        desk=None,
        at=clock.now(),
        occurred_at=None,
        client_id="same",
    )
    frozen_clock.advance(days=1)
    again = record_desk_headcount(
        session,
        age_band="adult",
        count=2,
        by=volunteer,
        desk=None,
        at=clock.now(),
        occurred_at=None,
        client_id="same",
    )
    assert (again.result, again.replayed, again.check_in_id) == ("ok", True, first.check_in_id)


def test_a_volunteer_held_to_assigned_activities(session):
    volunteer = make_user("volunteer")
    other = make_session(make_activity(), starts_in=timedelta(hours=1))
    set_desk_assigned_only(volunteer, True, at=clock.now(), by=None)
    assign_volunteer(volunteer, session.activity, at=clock.now(), by=None)
    assert headcount(session, by=volunteer, desk=None).result == "ok"
    with pytest.raises(DomainError) as refused:
        headcount(other, by=volunteer, desk=None)
    assert refused.value.code == "not_assigned"
    with pytest.raises(DomainError):  # a whole offline queue for that activity, too
        sync_scans(
            [SyncItem(type="headcount", client_id=cid(), occurred_at=clock.now())],
            session=other,
            by=volunteer,
            desk=None,
            at=clock.now(),
        )
    listed = list_desk_sessions(user=volunteer, at=clock.now())
    assert [(row.session.id, row.assigned) for row in listed] == [(session.id, True)]


def test_an_unheld_volunteer_writes_at_every_activity(session):
    volunteer = make_user("volunteer")
    assign_volunteer(volunteer, session.activity, at=clock.now(), by=None)
    other = make_session(make_activity(), starts_in=timedelta(hours=1))
    assert headcount(other, by=volunteer, desk=None).result == "ok"


def test_a_desk_link_for_one_activity(session):
    other = make_session(make_activity(), starts_in=timedelta(hours=1))
    link, _token, _pin = create_desk_link(
        "Café", by=None, at=clock.now(), activity=session.activity
    )
    assert headcount(session, by=None, desk=link).result == "ok"
    with pytest.raises(DomainError) as refused:
        headcount(other, by=None, desk=link)
    assert refused.value.code == "not_assigned"
    listed = list_desk_sessions(user=None, desk=link, at=clock.now())
    assert [row.session.id for row in listed] == [session.id]


def test_the_session_list_says_when_the_desk_opens(app, frozen_clock):
    # 09:00 Copenhagen: a session at 18:00 opens at 16:00, one at 06:00-07:00 closed at 11:00.
    frozen_clock.set(frozen_clock.at - timedelta(hours=5))
    evening = make_session(starts_in=timedelta(hours=9), hours=2)
    morning = make_session(starts_in=timedelta(hours=-3), hours=1)
    db.session.flush()
    for_volunteer = {
        row.session.id: row
        for row in list_desk_sessions(user=make_user("volunteer"), at=clock.now())
    }
    assert for_volunteer[evening.id].opens_at == evening.starts_at - timedelta(hours=2)
    assert not for_volunteer[evening.id].closed
    assert for_volunteer[morning.id].opens_at is None
    assert not for_volunteer[morning.id].closed  # closes at 11:00
    frozen_clock.advance(hours=3)
    for_volunteer = {
        row.session.id: row
        for row in list_desk_sessions(user=make_user("volunteer"), at=clock.now())
    }
    assert for_volunteer[morning.id].closed
    for_staff = list_desk_sessions(user=make_user("staff"), at=clock.now())
    assert all(row.opens_at is None and not row.closed for row in for_staff)
