"""Anonymising personal data when it is no longer needed (CONTEXT.md, DESIGN.md invariant 7).

What goes: names, phone numbers, e-mail addresses, the searchable names, the matching key and
the secret manage link. What stays, because the evaluation figures are computed from it: the
check-in rows, each person's pseudonymous participant, birth year, gender, area and department.
So the figures for any period are the same before and after, while nobody can be looked up by
name or contact again. Rows are never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import Attendee, Booking, BookingSession, CheckIn, Occurrence, Participant, User
from checkin.services.audit import record_audit
from checkin.services.booking.cancellation import cancel_booking
from checkin.services.codes import new_secret_token


@dataclass(frozen=True)
class AnonymisationReport:
    bookings: int
    attendees: int
    participants: int

    def __str__(self) -> str:
        return (
            f"anonymised {self.bookings} bookings, {self.attendees} people on them or walked in, "
            f"{self.participants} participants"
        )


def retention_cutoff(at: datetime, months: int) -> datetime:
    """``at`` moved back ``months`` calendar months (the day clamped to the month's end)."""
    month_index = at.year * 12 + at.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    days_in_month = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return at.replace(year=year, month=month, day=min(at.day, days_in_month[month - 1]))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def anonymise_booking(booking: Booking, *, at: datetime) -> int:
    """Remove the booking's contact details and its people's names; returns the number of
    people anonymised. The manage link stops working (a new random token nobody knows)."""
    booking.contact_name = ""
    booking.contact_phone = None
    booking.contact_email = None
    booking.manage_token = new_secret_token()
    booking.idempotency_key = None
    booking.anonymized_at = at
    for attendee in booking.attendees:
        _anonymise_attendee(attendee)
    return len(booking.attendees)


def _anonymise_attendee(attendee: Attendee) -> None:
    attendee.first_name = None
    attendee.last_name = None
    attendee.search_name = None


def anonymise_expired(*, at: datetime, months: int, by: User | None = None) -> AnonymisationReport:
    """Anonymise every booking whose last session ended more than ``months`` ago, walk-ins
    whose visit did, and participants with nobody recent left. Safe to run again: what is
    anonymised stays so, and nothing else changes. Logged in the audit log."""
    cutoff = retention_cutoff(at, months)
    last_end = (
        select(BookingSession.booking_id, func.max(Occurrence.ends_at).label("last_end"))
        .join(Occurrence, Occurrence.id == BookingSession.session_id)
        .group_by(BookingSession.booking_id)
        .subquery()
    )
    bookings = db.session.scalars(
        select(Booking)
        .join(last_end, last_end.c.booking_id == Booking.id)
        .where(Booking.anonymized_at.is_(None), last_end.c.last_end < cutoff)
    ).all()
    people = sum(anonymise_booking(booking, at=at) for booking in bookings)

    walk_ins = db.session.scalars(
        select(Attendee)
        .join(CheckIn, CheckIn.attendee_id == Attendee.id)
        .join(Occurrence, Occurrence.id == CheckIn.session_id)
        .where(Attendee.booking_id.is_(None), Attendee.first_name.is_not(None))
        .group_by(Attendee.id)
        .having(func.max(Occurrence.ends_at) < cutoff)
    ).all()
    for attendee in walk_ins:
        _anonymise_attendee(attendee)
    db.session.flush()

    participants = _anonymise_forgotten_participants(before=cutoff, at=at)
    report = AnonymisationReport(len(bookings), people + len(walk_ins), participants)
    if bookings or walk_ins or participants:
        record_audit(
            "anonymise",
            by=by,
            at=at,
            cutoff=cutoff.isoformat(),
            bookings=report.bookings,
            attendees=report.attendees,
            participants=report.participants,
        )
    return report


def _anonymise_forgotten_participants(*, before: datetime, at: datetime) -> int:
    """Participants first seen before ``before`` all of whose people are anonymised lose their
    name and matching key."""
    still_named = select(Attendee.participant_id).where(
        Attendee.participant_id.is_not(None), Attendee.first_name.is_not(None)
    )
    participants = db.session.scalars(
        select(Participant).where(
            Participant.anonymized_at.is_(None),
            Participant.created_at < before,
            Participant.id.not_in(still_named),
        )
    ).all()
    for participant in participants:
        participant.first_name = None
        participant.match_key = None
        participant.anonymized_at = at
    return len(participants)


def erase_booking(booking: Booking, *, at: datetime) -> None:
    """A resident's right to erasure, from the manage link: coming seats are cancelled (and
    offered to the waiting list), then the booking is anonymised at once. Attendance already
    recorded stays in the figures, pseudonymous."""
    if booking.cancelled_at is None:
        cancel_booking(booking, at=at)
    anonymise_booking(booking, at=at)
    record_audit("erase_booking", by=None, at=at, object_type="booking", object_id=booking.id)
    db.session.flush()


class ContactData(TypedDict):
    name: str
    phone: str | None
    email: str | None
    area_id: int | None
    department_id: int | None
    language: str


class PersonData(TypedDict):
    first_name: str | None
    birth_year: int | None
    gender: str | None
    cancelled: bool
    attended: list[str]  # session starts, ISO 8601


class DateData(TypedDict):
    session: str  # its start, ISO 8601
    status: str
    seats: int


class PersonalData(TypedDict):
    """What a resident downloads about their booking (their right of access)."""

    activity: str
    booked_at: str  # ISO 8601
    contact: ContactData
    information_text_version: str
    people: list[PersonData]
    dates: list[DateData]


def describe_personal_data(booking: Booking) -> PersonalData:
    """Everything stored about a booking's household, for the resident's right of access."""
    check_ins = db.session.execute(
        select(CheckIn.attendee_id, Occurrence.starts_at)
        .join(Occurrence, Occurrence.id == CheckIn.session_id)
        .where(
            CheckIn.attendee_id.in_([a.id for a in booking.attendees]),
            CheckIn.undone_at.is_(None),
        )
        .order_by(Occurrence.starts_at)
    ).all()
    came: dict[int | None, list[str]] = {}
    for attendee_id, starts_at in check_ins:
        came.setdefault(attendee_id, []).append(starts_at.isoformat())
    return {
        "activity": booking.activity.name,
        "booked_at": booking.created_at.isoformat(),
        "contact": {
            "name": booking.contact_name,
            "phone": booking.contact_phone,
            "email": booking.contact_email,
            "area_id": booking.area_id,
            "department_id": booking.department_id,
            "language": booking.locale,
        },
        "information_text_version": booking.info_text_version,
        "people": [
            {
                "first_name": a.first_name,
                "birth_year": a.birth_year,
                "gender": a.gender,
                "cancelled": a.cancelled_at is not None,
                "attended": came.get(a.id, []),
            }
            for a in booking.attendees
        ],
        "dates": [
            {"session": row.session.starts_at.isoformat(), "status": row.status, "seats": row.seats}
            for row in booking.seat_rows
        ],
    }
