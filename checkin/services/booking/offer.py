"""What a resident can sign up for: the open dates of an activity."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from checkin.extensions import db
from checkin.models import Activity, Booking, Occurrence
from checkin.services.errors import DomainError
from checkin.vocabulary import BookingScope, SessionStatus


def find_activity(slug: str) -> Activity | None:
    """The active activity with this slug, or None."""
    return db.session.scalar(
        select(Activity)
        .options(selectinload(Activity.translations))
        .where(Activity.slug == slug, Activity.active.is_(True))
    )


def list_open_sessions(activity: Activity, *, at: datetime) -> list[Occurrence]:
    """The activity's sessions still open for sign-up: scheduled and not yet started."""
    return list(
        db.session.scalars(
            select(Occurrence)
            .where(
                Occurrence.activity_id == activity.id,
                Occurrence.status == SessionStatus.SCHEDULED,
                Occurrence.starts_at > at,
            )
            .order_by(Occurrence.starts_at, Occurrence.id)
        )
    )


def choose_sessions(
    activity: Activity, *, scope: str, session_id: int | None, at: datetime
) -> list[Occurrence]:
    """The sessions a sign-up with ``scope`` books: the chosen open date, or for "series"
    every coming date of the activity."""
    open_sessions = list_open_sessions(activity, at=at)
    if scope == BookingScope.SERIES:
        if not open_sessions:
            raise DomainError("no_session", _l("Choose a date."), field="session_id")
        return open_sessions
    if scope != BookingScope.SESSION:
        raise DomainError("invalid_scope", _l("Choose a date."), field="scope")
    chosen = [s for s in open_sessions if s.id == session_id]
    if not chosen:
        raise DomainError("no_session", _l("Choose a date."), field="session_id")
    return chosen


def sessions_without_room(sessions: list[Occurrence], seats: int) -> list[Occurrence]:
    """The sessions where ``seats`` more people do not fit right now (the household would wait)."""
    return [s for s in sessions if s.seats_left is not None and s.seats_left < seats]


def find_booking_by_token(token: str) -> Booking | None:
    """The booking behind a manage link; None for unknown or anonymised bookings."""
    if not token or len(token) > 64:
        return None
    booking = db.session.scalar(select(Booking).where(Booking.manage_token == token))
    if booking is None or booking.anonymized_at is not None:
        return None
    return booking
