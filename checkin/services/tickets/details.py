"""What a ticket shows and prints: who it is for, which dates it is valid at, and its state.

A ticket is valid at every session where its booking holds a confirmed seat and that has not
ended (the desk applies the same rule when it scans). The ticket page and the printed sheet
read the booking through the functions here, so they never disagree about what a ticket is for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Attendee, Booking, BookingSession, Occurrence
from checkin.services.tickets.qr import Ticket
from checkin.vocabulary import SeatStatus, SessionStatus, TicketState


@dataclass(frozen=True)
class TicketDetails:
    """A ticket as its page shows it.

    ``holders`` are the people the ticket admits (one attendee, or the household's active
    attendees); ``cancelled_people`` are the household's cancelled attendees, shown without a
    QR code. ``sessions`` are the dates the ticket is valid at, ``waiting`` those it waits for.
    """

    ticket: Ticket
    state: TicketState
    holders: list[Attendee]
    cancelled_people: list[Attendee] = field(default_factory=list)
    sessions: list[Occurrence] = field(default_factory=list)
    waiting: list[Occurrence] = field(default_factory=list)

    @property
    def shows_qr(self) -> bool:
        return self.state != TicketState.CANCELLED


@dataclass(frozen=True)
class PrintableTicket:
    """One card on the printed sheet: a person's ticket, or the household's (``attendee`` None)."""

    code: str
    attendee: Attendee | None
    sessions: list[Occurrence]


def _coming_sessions(booking: Booking, *, status: SeatStatus, at: datetime) -> list[Occurrence]:
    return list(
        db.session.scalars(
            select(Occurrence)
            .join(BookingSession, BookingSession.session_id == Occurrence.id)
            .where(
                BookingSession.booking_id == booking.id,
                BookingSession.status == status,
                Occurrence.status == SessionStatus.SCHEDULED,
                Occurrence.ends_at > at,
            )
            .order_by(Occurrence.starts_at, Occurrence.id)
        )
    )


def list_valid_sessions(booking: Booking, *, at: datetime) -> list[Occurrence]:
    """The sessions the booking's tickets are valid at: a confirmed seat, a session that is
    neither cancelled nor over at ``at`` (a ticket still opens the door during the session)."""
    return _coming_sessions(booking, status=SeatStatus.CONFIRMED, at=at)


def list_waiting_sessions(booking: Booking, *, at: datetime) -> list[Occurrence]:
    """Coming sessions where the booking waits for seats."""
    return _coming_sessions(booking, status=SeatStatus.WAITLISTED, at=at)


def _active(booking: Booking) -> list[Attendee]:
    return [a for a in booking.attendees if a.cancelled_at is None]


def describe_ticket(ticket: Ticket, *, at: datetime) -> TicketDetails:
    """The state of ``ticket`` at ``at``. A person's ticket is cancelled when the person or the
    booking is; a household's when the booking is or nobody on it is left. A cancelled ticket
    lists no dates, so nothing suggests it still opens the door."""
    booking = ticket.booking
    if ticket.attendee is not None:
        holders = [ticket.attendee]
        cancelled_people: list[Attendee] = []
        cancelled = ticket.attendee.cancelled_at is not None
    else:
        holders = _active(booking)
        cancelled_people = [a for a in booking.attendees if a.cancelled_at is not None]
        cancelled = not holders
    if cancelled or booking.cancelled_at is not None:
        return TicketDetails(ticket, TicketState.CANCELLED, holders, cancelled_people)
    sessions = list_valid_sessions(booking, at=at)
    waiting = list_waiting_sessions(booking, at=at)
    if sessions:
        state = TicketState.VALID
    else:
        state = TicketState.WAITLISTED if waiting else TicketState.NO_DATES
    return TicketDetails(ticket, state, holders, cancelled_people, sessions, waiting)


def list_printable_tickets(booking: Booking, *, at: datetime) -> list[PrintableTicket]:
    """The cards of the printed sheet: one per person still on the booking, then the
    household's card when there is more than one person. Cards list only the dates with a
    confirmed seat. A cancelled booking prints nothing."""
    if booking.cancelled_at is not None:
        return []
    people = _active(booking)
    sessions = list_valid_sessions(booking, at=at)
    cards = [PrintableTicket(a.ticket_code, a, sessions) for a in people]
    if len(people) > 1:
        cards.append(PrintableTicket(booking.household_code, None, sessions))
    return cards
