"""A short human summary of what the database holds, for ``flask demo``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import (
    Activity,
    Area,
    Attendee,
    Booking,
    BookingSession,
    CheckIn,
    Department,
    EffortArea,
    Feedback,
    Occurrence,
    Participant,
    Project,
    Target,
    User,
    VolunteerShift,
    WaitlistEntry,
)
from checkin.services.clock import local
from checkin.vocabulary import BookingScope, CheckInMethod, SeatStatus


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def summarise(*, at: datetime, headline: str) -> str:
    """Counts of everything the demo creates, as a few lines of text."""
    active_check_ins = CheckIn.undone_at.is_(None)
    people_checked_in = _count(CheckIn, active_check_ins, CheckIn.attendee_id.is_not(None))
    walk_ins = _count(CheckIn, active_check_ins, CheckIn.method == CheckInMethod.WALK_IN)
    headcount_people = db.session.scalar(
        select(func.coalesce(func.sum(CheckIn.count), 0)).where(
            active_check_ins, CheckIn.method == CheckInMethod.HEADCOUNT
        )
    )
    past_seats = db.session.scalar(
        select(func.coalesce(func.sum(BookingSession.seats), 0))
        .join(Occurrence, Occurrence.id == BookingSession.session_id)
        .where(BookingSession.status == SeatStatus.CONFIRMED, Occurrence.starts_at <= at)
    )
    booked_present = people_checked_in - walk_ins
    no_show = 100 - round(100 * booked_present / past_seats) if past_seats else 0
    smileys, average = db.session.execute(
        select(func.count(Feedback.id), func.avg(Feedback.score))
    ).one()
    open_waits = _count(WaitlistEntry, WaitlistEntry.resolved_at.is_(None))
    series = _count(Booking, Booking.scope == BookingScope.SERIES)
    hours = (
        db.session.scalar(select(func.coalesce(func.sum(VolunteerShift.minutes), 0))) or 0
    ) / 60
    lines = [
        f"{headline} (as of {local(at):%Y-%m-%d %H:%M} Copenhagen time)",
        f"  areas:        {_count(Area)} ({_count(Area, Area.is_resident_area)} resident areas, "
        f"{_count(Department)} departments)",
        f"  projects:     {_count(Project)} in {_count(EffortArea)} effort areas",
        f"  activities:   {_count(Activity)}",
        f"  sessions:     {_count(Occurrence)} "
        f"({_count(Occurrence, Occurrence.starts_at <= at)} started, "
        f"{_count(Occurrence, Occurrence.starts_at > at)} coming)",
        f"  participants: {_count(Participant)} "
        f"({_count(Participant, Participant.is_resident.is_(True))} residents, "
        f"{_count(Attendee, Attendee.booking_id.is_(None))} walk-in persons)",
        f"  bookings:     {_count(Booking)} ({series} series), "
        f"{_count(Attendee, Attendee.booking_id.is_not(None))} booked people",
        f"  waitlist:     {open_waits} open entries",
        f"  check-ins:    {people_checked_in} people ({walk_ins} walk-ins, "
        f"{no_show}% no-shows) + {headcount_people} counted anonymously",
        f"  feedback:     {smileys} smileys"
        + (f", average {float(average):.1f}" if smileys else ""),
        f"  volunteering: {_count(VolunteerShift)} shifts, {hours:.0f} hours; "
        f"{_count(Target)} targets",
        f"  logins:       {_count(User)}",
    ]
    return "\n".join(lines)
