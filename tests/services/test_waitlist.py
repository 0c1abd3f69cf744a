"""Freed seats go to the first waiting household that fits, exactly once, and they are told."""

import pytest
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import BookingSession, OutboxMessage, WaitlistEntry
from checkin.services import clock
from checkin.services.booking import (
    cancel_attendee,
    cancel_booking,
    leave_waitlist,
    promote_waitlist,
)
from checkin.services.errors import DomainError
from tests.factories import make_booking, make_session


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


def test_cancelling_frees_seats_for_first_waiting_household(app, frozen_clock):
    session = make_session(capacity=4)
    family = make_booking(session, people=["Amina", "Omar", "Sara"])
    first_waiting = make_booking(session, people=["Olena", "Taras"])
    second_waiting = make_booking(session, people=["Ayşe"])
    assert status(first_waiting, session) == "waitlisted"

    # Ayşe fits in the one free seat, but she arrived later than the Olena household.
    assert status(second_waiting, session) == "confirmed"
    cancel_booking(family, at=clock.now())
    db.session.refresh(session)

    assert status(first_waiting, session) == "confirmed"
    assert session.seats_taken == 3 == confirmed_seats(session)
    promoted = db.session.scalars(
        select(OutboxMessage.booking_id).where(OutboxMessage.kind == "waitlist_promoted")
    ).all()
    assert promoted == [first_waiting.id]


def test_household_that_does_not_fit_keeps_its_place(app, frozen_clock):
    session = make_session(capacity=3)
    holder = make_booking(session, people=["A", "B", "C"])
    big = make_booking(session, people=["D", "E", "F"])
    small = make_booking(session, people=["G"])
    cancel_attendee(holder, holder.attendees[0], at=clock.now())
    db.session.refresh(session)
    assert status(small, session) == "confirmed"
    assert status(big, session) == "waitlisted"
    assert session.seats_taken == 3 == confirmed_seats(session)
    entry = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.booking_id == big.id))
    assert entry.resolved_at is None


def test_promotion_happens_once_however_often_asked(app, frozen_clock):
    session = make_session(capacity=1)
    holder = make_booking(session, people=["A"])
    waiting = make_booking(session, people=["B"])
    cancel_booking(holder, at=clock.now())
    assert promote_waitlist(session, at=clock.now()) == []
    assert status(waiting, session) == "confirmed"
    promotions = select(func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "waitlist_promoted"
    )
    assert db.session.scalar(promotions) == 1


def test_cancelling_one_attendee_shrinks_the_booking(app, frozen_clock):
    session = make_session(capacity=10)
    booking = make_booking(session, people=["Amina", "Omar"])
    cancel_attendee(booking, booking.attendees[1], at=clock.now())
    db.session.refresh(session)
    assert session.seats_taken == 1
    assert booking.seat_rows[0].seats == 1
    assert booking.cancelled_at is None
    with pytest.raises(DomainError) as error:
        cancel_attendee(booking, booking.attendees[1], at=clock.now())
    assert error.value.code == "already_cancelled"
    cancel_attendee(booking, booking.attendees[0], at=clock.now())
    assert booking.cancelled_at is not None
    assert status(booking, session) == "cancelled"


def test_staff_cancellation_tells_the_resident(app, frozen_clock):
    from tests.factories import make_user

    session = make_session(capacity=10)
    booking = make_booking(session)
    cancel_booking(booking, at=clock.now(), by=make_user("staff"))
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["booking_confirmed", "booking_cancelled"]


def test_leaving_the_waiting_list(app, frozen_clock):
    session = make_session(capacity=1)
    make_booking(session, people=["A"])
    waiting = make_booking(session, people=["B"])
    leave_waitlist(waiting, session, at=clock.now())
    assert status(waiting, session) == "cancelled"
    with pytest.raises(DomainError) as error:
        leave_waitlist(waiting, session, at=clock.now())
    assert error.value.code == "not_waitlisted"


def test_past_sessions_keep_their_seats_when_a_series_is_cancelled(app, frozen_clock):
    from datetime import timedelta

    from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking

    past = make_session(capacity=5, starts_in=timedelta(days=1))
    coming = make_session(past.activity, starts_in=timedelta(days=8))
    booking = create_booking(
        past.activity,
        sessions=[past, coming],
        scope="series",
        contact=ContactDetails(name="Hodan Ali", phone="+4520000001"),
        attendees=[AttendeeDetails(first_name="Hodan")],
        at=clock.now(),
        info_text_version="t",
    )
    frozen_clock.advance(days=2)
    cancel_booking(booking, at=clock.now())
    assert status(booking, past) == "confirmed"
    assert status(booking, coming) == "cancelled"
