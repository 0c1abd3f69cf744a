"""People across bookings: duplicate suggestions, merging that keeps history, a person's page."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import Attendee, AuditLog, CheckIn, Participant
from checkin.services import clock
from checkin.services.desk import check_in_attendee
from checkin.services.errors import DomainError
from checkin.services.people import (
    merge_participants,
    person_activities,
    search_participants,
    suggest_duplicates,
)
from tests.factories import make_booking, make_session, make_user


def participant_of(booking) -> Participant:
    return db.session.get(Participant, booking.attendees[0].participant_id)


def unique_participants_checked_in() -> int:
    return db.session.scalar(
        select(func.count(func.distinct(Attendee.participant_id)))
        .join(CheckIn, CheckIn.attendee_id == Attendee.id)
        .where(CheckIn.undone_at.is_(None))
    )


def test_same_first_name_and_birth_year_is_suggested(app, frozen_clock):
    session = make_session()
    by_mother = make_booking(session, people=["Sofie"], phone="+4520000001")
    by_father = make_booking(session, people=["sofie "], phone="+4520000002")
    make_booking(session, people=["Omar"], phone="+4520000003")
    groups = suggest_duplicates()
    assert [[p.id for p in g] for g in groups] == [
        [participant_of(by_mother).id, participant_of(by_father).id]
    ]


def test_merge_keeps_history_and_counts_one_person(app, frozen_clock):
    staff = make_user("staff")
    first = make_session()
    second = make_session(first.activity, starts_in=timedelta(days=9))
    by_mother = make_booking(first, people=["Sofie"], phone="+4520000001")
    by_father = make_booking(second, people=["Sofie"], phone="+4520000002")
    keep, merge = participant_of(by_mother), participant_of(by_father)
    for booking, session in ((by_mother, first), (by_father, second)):
        check_in_attendee(
            booking.attendees[0],
            session=session,
            by=staff,
            at=clock.now(),
            client_id=f"c{session.id}",
        )
    assert unique_participants_checked_in() == 2

    merge_participants(keep, merge, at=clock.now(), by=staff)

    assert unique_participants_checked_in() == 1
    assert merge.merged_into_id == keep.id
    assert {a.participant_id for a in (by_mother.attendees + by_father.attendees)} == {keep.id}
    assert db.session.scalar(select(func.count(CheckIn.id))) == 2  # nothing deleted
    (row,) = person_activities(keep)
    assert (row.activity.id, row.booked, row.attended) == (first.activity_id, 2, 2)
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "merge_participants"))
    assert (audit.actor_id, audit.object_id, audit.details["merged"]) == (
        staff.id,
        keep.id,
        merge.id,
    )
    assert suggest_duplicates() == []
    assert merge not in search_participants("sofie")


def test_a_new_booking_matching_the_merged_person_lands_on_the_kept_one(app, frozen_clock):
    session = make_session()
    keep = participant_of(make_booking(session, people=["Sofie"], phone="+4520000001"))
    merge = participant_of(make_booking(session, people=["Sofie"], phone="+4520000002"))
    merge_participants(keep, merge, at=clock.now(), by=None)
    again = make_booking(session, people=["Sofie"], phone="+4520000002")
    assert again.attendees[0].participant_id == keep.id


def test_merge_refuses_same_or_already_merged(app, frozen_clock):
    session = make_session()
    a = participant_of(make_booking(session, people=["Sofie"]))
    b = participant_of(make_booking(session, people=["Sofie"]))
    c = participant_of(make_booking(session, people=["Sofie"]))
    with pytest.raises(DomainError) as refused:
        merge_participants(a, a, at=clock.now(), by=None)
    assert refused.value.code == "same_person"
    merge_participants(a, b, at=clock.now(), by=None)
    with pytest.raises(DomainError) as refused:
        merge_participants(c, b, at=clock.now(), by=None)
    assert refused.value.code == "already_merged"


def test_search_finds_by_folded_name_or_birth_year(app, frozen_clock):
    session = make_session()
    booking = make_booking(session, people=["Søren"], name="Hanne Ørsted")
    found = search_participants("soren")
    assert [p.id for p in found] == [booking.attendees[0].participant_id]
    assert search_participants("orsted") == found
    assert search_participants("2015") == found
    assert search_participants("100%") == []
