"""A household's sign-up: the booking, its seats per session, its attendees and waiting places."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkin.models.activity import Activity, Occurrence
from checkin.models.base import Base, EnumText, UTCDateTime, one_of
from checkin.vocabulary import (
    AgeBand,
    BookingScope,
    BookingSource,
    Gender,
    SeatStatus,
    WaitlistResolution,
)

# The bands in order, for the desk API schema that still imports them from here.
AGE_BANDS: tuple[AgeBand, ...] = tuple(AgeBand)


class Booking(Base):
    """One household's sign-up for one activity, made by a contact person.

    ``scope`` is "session" for a single date or "series" for all coming dates; the seats live in
    ``BookingSession`` rows. ``manage_token`` is the secret of the resident's manage link and
    ``household_code`` the ticket that lists the whole household at the desk.
    """

    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint(one_of("scope", BookingScope), name="scope"),
        CheckConstraint(
            "contact_phone IS NOT NULL OR contact_email IS NOT NULL OR anonymized_at IS NOT NULL",
            name="contact_reachable",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    scope: Mapped[BookingScope] = mapped_column(
        EnumText(BookingScope, 10), default=BookingScope.SESSION
    )
    contact_name: Mapped[str] = mapped_column(String(160))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_is_adult: Mapped[bool] = mapped_column(default=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    locale: Mapped[str] = mapped_column(String(10), default="da")
    manage_token: Mapped[str] = mapped_column(String(64), unique=True)
    household_code: Mapped[str] = mapped_column(String(64), unique=True)
    info_text_version: Mapped[str] = mapped_column(String(20))
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A BookingSource value; without a CHECK constraint older rows may hold other words.
    source: Mapped[str] = mapped_column(String(12), default=BookingSource.ONLINE)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Named like its column, ``anonymized_at`` (here and on Participant), so existing databases
    # need no migration; everywhere else the code spells it "anonymise".
    anonymized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    activity: Mapped[Activity] = relationship()
    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="booking", order_by="Attendee.id"
    )
    seat_rows: Mapped[list[BookingSession]] = relationship(
        back_populates="booking", order_by="BookingSession.id"
    )


class BookingSession(Base):
    """A booking's seats at one session: confirmed, waitlisted or cancelled."""

    __tablename__ = "booking_session"
    __table_args__ = (
        UniqueConstraint("booking_id", "session_id"),
        CheckConstraint(one_of("status", SeatStatus), name="status"),
        CheckConstraint("seats >= 0", name="seats_positive"),
        Index("ix_booking_session_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("activity_session.id"))
    status: Mapped[SeatStatus] = mapped_column(EnumText(SeatStatus, 12))
    seats: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    booking: Mapped[Booking] = relationship(back_populates="seat_rows")
    session: Mapped[Occurrence] = relationship()


class Attendee(Base):
    """One person on a booking, or a walk-in person added at the desk (no booking).

    ``ticket_code`` is random and separate from the id; it is valid at every session where the
    booking holds a confirmed seat. Walk-ins carry their own area and resident flag.
    """

    __tablename__ = "attendee"
    __table_args__ = (
        CheckConstraint(one_of("gender", Gender, nullable=True), name="gender"),
        CheckConstraint(one_of("age_band", AgeBand, nullable=True), name="age_band"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    first_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(80))
    birth_year: Mapped[int | None]
    age_band: Mapped[AgeBand | None] = mapped_column(EnumText(AgeBand, 8))
    gender: Mapped[Gender | None] = mapped_column(EnumText(Gender, 8))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    is_resident: Mapped[bool | None]
    ticket_code: Mapped[str] = mapped_column(String(64), unique=True)
    # Folded (lower case, no accents) first and last name plus the contact's name, so the desk
    # finds "Ørsted" by "orsted" with one LIKE on any database.
    search_name: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    booking: Mapped[Booking | None] = relationship(back_populates="attendees")


class WaitlistEntry(Base):
    """A booking waiting for seats at one session, served in order of ``id`` (arrival).

    An entry is open while ``resolved_at`` is NULL; ``resolution`` records how it ended.
    """

    __tablename__ = "waitlist_entry"
    __table_args__ = (
        CheckConstraint("seats > 0", name="seats_positive"),
        CheckConstraint(one_of("resolution", WaitlistResolution, nullable=True), name="resolution"),
        Index(
            "uq_waitlist_entry_open",
            "booking_id",
            "session_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
        Index("ix_waitlist_entry_session_queue", "session_id", "resolved_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("activity_session.id"))
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    seats: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[WaitlistResolution | None] = mapped_column(EnumText(WaitlistResolution, 12))

    booking: Mapped[Booking] = relationship()
    session: Mapped[Occurrence] = relationship()
