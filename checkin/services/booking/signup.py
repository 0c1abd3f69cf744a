"""Household sign-up with exact seat counting.

Seats are taken with one guarded UPDATE whose row count decides (DESIGN.md §3), so confirmed
seats never exceed capacity whatever the concurrency. A household gets all its seats at a session
or joins that session's waiting list as a whole: a family is never split without asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from checkin.database import rows_changed
from checkin.extensions import db
from checkin.models import (
    Activity,
    Attendee,
    Booking,
    BookingSession,
    Occurrence,
    User,
    WaitlistEntry,
)
from checkin.services.ages import GUARDIAN_REQUIRED_BELOW, age_in
from checkin.services.booking.offer import sessions_without_room
from checkin.services.codes import new_secret_token, new_ticket_code
from checkin.services.errors import DomainError
from checkin.services.notify.outbox import enqueue_message
from checkin.services.people.matching import find_or_create_participant, search_name
from checkin.vocabulary import BookingScope, BookingSource, MessageKind, SeatStatus, SessionStatus


@dataclass(frozen=True)
class ContactDetails:
    name: str
    phone: str | None = None
    email: str | None = None
    area_id: int | None = None
    department_id: int | None = None
    is_resident: bool | None = None
    locale: str = "da"
    is_adult: bool = True


@dataclass(frozen=True)
class AttendeeDetails:
    first_name: str
    birth_year: int | None = None
    gender: str | None = None
    last_name: str | None = None


def take_seats(session_id: int, seats: int) -> bool:
    """Atomically take ``seats`` at a session if they are free; True when taken."""
    changed = rows_changed(
        update(Occurrence)
        .where(
            Occurrence.id == session_id,
            Occurrence.status == SessionStatus.SCHEDULED,
            (Occurrence.capacity.is_(None))
            | (Occurrence.seats_taken + seats <= Occurrence.capacity),
        )
        .values(seats_taken=Occurrence.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    return changed == 1


def release_seats(session_id: int, seats: int) -> None:
    """Give ``seats`` back to a session."""
    db.session.execute(
        update(Occurrence)
        .where(Occurrence.id == session_id, Occurrence.seats_taken >= seats)
        .values(seats_taken=Occurrence.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )


def _check_household(
    contact: ContactDetails, attendees: Sequence[AttendeeDetails], *, year: int, limit: int
) -> None:
    if not attendees:
        raise DomainError("no_attendees", _l("Add at least one person."), field="attendees")
    if len(attendees) > limit:
        raise DomainError(
            "too_many_attendees",
            _l("At most %(n)d people per sign-up.", n=limit),
            field="attendees",
        )
    if not (contact.phone or contact.email):
        raise DomainError(
            "contact_unreachable", _l("Give a phone number or an e-mail address."), field="phone"
        )
    if not contact.is_adult and any(
        a.birth_year is not None and age_in(year, a.birth_year) < GUARDIAN_REQUIRED_BELOW
        for a in attendees
    ):
        raise DomainError(
            "guardian_required",
            _l("Children under 15 must be signed up by a parent or another adult."),
            field="attendees",
        )


def create_booking(
    activity: Activity,
    *,
    sessions: Sequence[Occurrence],
    contact: ContactDetails,
    attendees: Sequence[AttendeeDetails],
    at: datetime,
    info_text_version: str,
    scope: BookingScope = BookingScope.SESSION,
    idempotency_key: str | None = None,
    by: User | None = None,
    source: BookingSource = BookingSource.ONLINE,
    max_attendees: int = 8,
    join_waitlist: bool = True,
) -> Booking:
    """Book a household onto ``sessions`` of ``activity``.

    At each session the household takes all its seats or is waitlisted as a whole. Children
    under 15 need an adult contact. With ``join_waitlist`` False, a household that does not fit
    somewhere right now is asked first: ``waitlist_consent_needed`` names those sessions in
    ``details["sessions"]`` and nothing is booked, also when another request took the last
    seats after the first look (the guarded update decides). The same ``idempotency_key``
    returns the first booking, so a double submit books once, also when both arrive at the
    same moment.
    Queues a ``booking_confirmed`` or ``booking_waitlisted`` message.
    """
    existing = _booking_with_key(idempotency_key)
    if existing is not None:
        return existing
    if not sessions or any(s.activity_id != activity.id for s in sessions):
        raise DomainError("no_session", _l("Choose a date."), field="sessions")
    if any(s.status != SessionStatus.SCHEDULED or s.starts_at <= at for s in sessions):
        raise DomainError("session_closed", _l("This date is no longer open for sign-up."))
    _check_household(contact, attendees, year=at.year, limit=max_attendees)
    full = sessions_without_room(list(sessions), len(attendees))
    if full and attendees and not join_waitlist:
        _ask_to_wait(full)

    booking = Booking(
        activity_id=activity.id,
        scope=scope,
        contact_name=contact.name.strip(),
        contact_phone=contact.phone,
        contact_email=contact.email,
        contact_is_adult=contact.is_adult,
        area_id=contact.area_id,
        department_id=contact.department_id,
        locale=contact.locale,
        manage_token=new_secret_token(),
        household_code=new_ticket_code(),
        info_text_version=info_text_version,
        idempotency_key=idempotency_key,
        source=source,
        created_by_id=by.id if by else None,
        created_at=at,
    )
    try:
        with db.session.begin_nested():
            db.session.add(booking)
    except IntegrityError:
        # The same form sent twice at once: the other request holds the idempotency key.
        existing = _booking_with_key(idempotency_key)
        if existing is None:
            raise
        return existing

    contact_key = contact.phone or contact.email or ""
    for details in attendees:
        participant = find_or_create_participant(
            contact=contact_key,
            first_name=details.first_name,
            birth_year=details.birth_year,
            gender=details.gender,
            area_id=contact.area_id,
            department_id=contact.department_id,
            is_resident=contact.is_resident,
            at=at,
        )
        db.session.add(
            Attendee(
                booking_id=booking.id,
                participant_id=participant.id,
                first_name=details.first_name.strip(),
                last_name=(details.last_name or "").strip() or None,
                birth_year=details.birth_year,
                gender=details.gender,
                area_id=contact.area_id,
                is_resident=contact.is_resident,
                ticket_code=new_ticket_code(),
                search_name=search_name(details.first_name, details.last_name, contact.name),
                created_at=at,
            )
        )

    seats = len(attendees)
    # Another request may have taken the last seats since the look above: the guarded update
    # decides, and a household that was not asked yet is asked now (the caller rolls back).
    lost = [s for s in sessions if not take_seats(s.id, seats)]
    if lost and not join_waitlist:
        _ask_to_wait(lost)
    for session in sessions:
        status = SeatStatus.WAITLISTED if session in lost else SeatStatus.CONFIRMED
        db.session.add(
            BookingSession(
                booking_id=booking.id,
                session_id=session.id,
                status=status,
                seats=seats,
                created_at=at,
                updated_at=at,
            )
        )
        if status == SeatStatus.WAITLISTED:
            db.session.add(
                WaitlistEntry(
                    session_id=session.id, booking_id=booking.id, seats=seats, created_at=at
                )
            )
    db.session.flush()
    confirmed = any(row.status == SeatStatus.CONFIRMED for row in booking.seat_rows)
    kind = MessageKind.BOOKING_CONFIRMED if confirmed else MessageKind.BOOKING_WAITLISTED
    enqueue_message(kind, booking, at=at)
    return booking


def _ask_to_wait(full: list[Occurrence]) -> NoReturn:
    raise DomainError(
        "waitlist_consent_needed",
        _l("Your household does not fit on every date. Join the waiting list?"),
        field="join_waitlist",
        sessions=full,
    )


def _booking_with_key(idempotency_key: str | None) -> Booking | None:
    if not idempotency_key:
        return None
    return db.session.scalar(select(Booking).where(Booking.idempotency_key == idempotency_key))
