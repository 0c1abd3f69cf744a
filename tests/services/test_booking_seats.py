from checkin.extensions import db
from tests.factories import make_booking, make_session


def test_household_takes_seats_or_waits_whole(app, frozen_clock):
    session = make_session(capacity=3)
    first = make_booking(session, people=["Amina", "Omar"])
    second = make_booking(session, people=["Olena", "Taras"])
    db.session.refresh(session)
    assert [s.status for s in first.seat_rows] == ["confirmed"]
    assert [s.status for s in second.seat_rows] == ["waitlisted"]
    assert session.seats_taken == 2
