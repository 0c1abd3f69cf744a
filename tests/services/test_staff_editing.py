"""Staff changes to sessions: capacity, cancellation, moving a booking; seats stay exact."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import AuditLog, BookingSession, OutboxMessage, WaitlistEntry
from checkin.services import clock
from checkin.services.booking import move_booking
from checkin.services.errors import DomainError
from checkin.services.planning import cancel_session, change_capacity
from tests.factories import make_booking, make_session, make_user


def status(booking, session):
    return db.session.scalar(
        select(BookingSession.status).where(
            BookingSession.booking_id == booking.id, BookingSession.session_id == session.id
        )
    )


def confirmed_seats(session):
    return db.session.scalar(
        select(func.coalesce(func.sum(BookingSession.seats), 0)).where(
            BookingSession.session_id == session.id, BookingSession.status == "confirmed"
        )
    )


def messages(kind):
    return db.session.scalars(
        select(OutboxMessage.booking_id).where(OutboxMessage.kind == kind).order_by("id")
    ).all()


def test_raising_capacity_promotes_waitlist_exactly(app, frozen_clock):
    staff = make_user("staff")
    session = make_session(capacity=2)
    make_booking(session, people=["Amina", "Omar"])
    pair = make_booking(session, people=["Olena", "Taras"])
    single = make_booking(session, people=["Ayşe"])
    assert status(pair, session) == status(single, session) == "waitlisted"

    # Three more seats: the pair (first in line) fits, then the single person does too.
    promoted = change_capacity(session, 5, at=clock.now(), by=staff)
    assert [b.id for b in promoted] == [pair.id, single.id]
    db.session.refresh(session)
    assert session.capacity == 5
    assert session.seats_taken == 5 == confirmed_seats(session)
    assert messages("waitlist_promoted") == [pair.id, single.id]


def test_raising_by_one_seat_passes_over_a_household_that_does_not_fit(app, frozen_clock):
    session = make_session(capacity=2)
    make_booking(session, people=["Amina", "Omar"])
    pair = make_booking(session, people=["Olena", "Taras"])
    single = make_booking(session, people=["Ayşe"])
    change_capacity(session, 3, at=clock.now(), by=None)
    assert status(pair, session) == "waitlisted"
    assert status(single, session) == "confirmed"
    db.session.refresh(session)
    assert session.seats_taken == 3 == confirmed_seats(session)


def test_capacity_below_seats_taken_is_refused(app, frozen_clock):
    session = make_session(capacity=5)
    make_booking(session, people=["Amina", "Omar", "Sara"])
    with pytest.raises(DomainError) as refused:
        change_capacity(session, 2, at=clock.now(), by=None)
    assert refused.value.code == "below_taken"
    db.session.refresh(session)
    assert session.capacity == 5
    change_capacity(session, 3, at=clock.now(), by=None)  # exactly the seats taken is fine
    assert session.capacity == 3


def test_unlimited_capacity_promotes_everyone(app, frozen_clock):
    session = make_session(capacity=1)
    make_booking(session)
    waiting = [make_booking(session, people=["A", "B"]) for _ in range(3)]
    change_capacity(session, None, at=clock.now(), by=None)
    assert {status(b, session) for b in waiting} == {"confirmed"}


def test_cancel_session_releases_seats_tells_households_closes_waitlist(app, frozen_clock):
    staff = make_user("staff")
    session = make_session(capacity=3)
    first = make_booking(session, people=["Amina", "Omar"])
    second = make_booking(session, people=["Sara"])
    waiting = make_booking(session, people=["Olena", "Taras"])

    told = cancel_session(session, reason="Heating broken", at=clock.now(), by=staff)

    db.session.refresh(session)
    assert told == 3
    assert session.status == "cancelled"
    assert session.cancel_reason == "Heating broken"
    assert session.seats_taken == 0 == confirmed_seats(session)
    assert {status(b, session) for b in (first, second, waiting)} == {"cancelled"}
    assert sorted(messages("session_cancelled")) == sorted([first.id, second.id, waiting.id])
    open_entries = db.session.scalar(
        select(func.count(WaitlistEntry.id)).where(WaitlistEntry.resolved_at.is_(None))
    )
    assert open_entries == 0
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.actor_id == staff.id)) == (
        "cancel_session"
    )
    with pytest.raises(DomainError) as again:
        cancel_session(session, reason="Twice", at=clock.now(), by=staff)
    assert again.value.code == "already_cancelled"


def test_cancel_needs_a_reason_and_a_session_not_over(app, frozen_clock):
    session = make_session()
    with pytest.raises(DomainError) as refused:
        cancel_session(session, reason="  ", at=clock.now(), by=None)
    assert refused.value.code == "reason_required"
    with pytest.raises(DomainError) as refused:
        cancel_session(session, reason="Late", at=clock.now() + timedelta(days=5), by=None)
    assert refused.value.code == "session_over"


def test_move_booking_moves_exact_seats_and_promotes_old_waitlist(app, frozen_clock):
    staff = make_user("staff")
    old = make_session(capacity=3)
    new = make_session(old.activity, starts_in=timedelta(days=9), capacity=4)
    family = make_booking(old, people=["Amina", "Omar", "Sara"])
    waiting = make_booking(old, people=["Olena"])
    make_booking(new, people=["Ayşe"])

    move_booking(family, old, new, at=clock.now(), by=staff)

    db.session.refresh(old)
    db.session.refresh(new)
    assert status(family, old) == "cancelled"
    assert status(family, new) == "confirmed"
    assert status(waiting, old) == "confirmed"
    assert old.seats_taken == 1 == confirmed_seats(old)
    assert new.seats_taken == 4 == confirmed_seats(new)
    assert messages("waitlist_promoted") == [waiting.id]
    assert family.id in messages("tickets")

    # And back again is refused: the old date now has only 2 free seats for 3 people.
    with pytest.raises(DomainError) as refused:
        move_booking(family, new, old, at=clock.now(), by=staff)
    assert refused.value.code == "full"
    db.session.refresh(old)
    db.session.refresh(new)
    assert status(family, new) == "confirmed"
    assert (old.seats_taken, new.seats_taken) == (1, 4)


def test_move_booking_back_reuses_its_old_row(app, frozen_clock):
    old = make_session(capacity=5)
    new = make_session(old.activity, starts_in=timedelta(days=9), capacity=5)
    family = make_booking(old, people=["Amina", "Omar"])
    move_booking(family, old, new, at=clock.now(), by=None)
    move_booking(family, new, old, at=clock.now(), by=None)
    db.session.refresh(old)
    db.session.refresh(new)
    assert (status(family, old), status(family, new)) == ("confirmed", "cancelled")
    assert (old.seats_taken, new.seats_taken) == (2, 0)


def test_move_a_waiting_household_closes_its_waiting_place(app, frozen_clock):
    old = make_session(capacity=1)
    new = make_session(old.activity, starts_in=timedelta(days=9), capacity=5)
    make_booking(old)
    waiting = make_booking(old, people=["Olena", "Taras"])
    move_booking(waiting, old, new, at=clock.now(), by=None)
    db.session.refresh(old)
    assert status(waiting, new) == "confirmed"
    assert old.seats_taken == 1 == confirmed_seats(old)
    entry = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.booking_id == waiting.id))
    assert entry.resolution == "left"


def test_move_to_another_activity_or_a_past_date_is_refused(app, frozen_clock):
    old = make_session(capacity=5)
    other = make_session(capacity=5)
    family = make_booking(old)
    with pytest.raises(DomainError) as refused:
        move_booking(family, old, other, at=clock.now(), by=None)
    assert refused.value.code == "invalid_session"
    past = make_session(old.activity, starts_in=timedelta(days=-1), capacity=5)
    with pytest.raises(DomainError) as refused:
        move_booking(family, old, past, at=clock.now(), by=None)
    assert refused.value.code == "session_closed"
