import pytest
from sqlalchemy import func, select, update

from checkin.extensions import db
from checkin.models import Booking, Occurrence, WaitlistEntry
from checkin.services import clock
from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
from checkin.services.errors import DomainError
from tests.factories import make_booking, make_session


def test_household_takes_seats_or_waits_whole(app, frozen_clock):
    session = make_session(capacity=3)
    first = make_booking(session, people=["Amina", "Omar"])
    second = make_booking(session, people=["Olena", "Taras"])
    db.session.refresh(session)
    assert [s.status for s in first.seat_rows] == ["confirmed"]
    assert [s.status for s in second.seat_rows] == ["waitlisted"]
    assert session.seats_taken == 2


def test_last_seat_taken_meanwhile_asks_before_waitlisting(app, frozen_clock):
    """Between the "does it fit?" look and the guarded seat update another request may take the
    last seats (500 residents at once through two app servers did). A household that did not
    say yes to the waiting list is then asked, as when the session was full from the start,
    and nothing is booked; it is never put on the waiting list without being asked."""
    session = make_session(capacity=2)
    db.session.commit()
    # Another request fills the session; this request's loaded session still shows 2 free.
    db.session.execute(
        update(Occurrence)
        .where(Occurrence.id == session.id)
        .values(seats_taken=2)
        .execution_options(synchronize_session=False)
    )
    assert session.seats_left == 2

    with pytest.raises(DomainError) as refused:
        create_booking(
            session.activity,
            sessions=[session],
            contact=ContactDetails(name="Leila Hansen", phone="+4520123456"),
            attendees=[AttendeeDetails(first_name="Amina", birth_year=2015)],
            at=clock.now(),
            info_text_version="t",
            join_waitlist=False,
        )
    assert refused.value.code == "waitlist_consent_needed"
    assert refused.value.details["sessions"] == [session]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
    assert db.session.scalar(select(func.count()).select_from(WaitlistEntry)) == 0
