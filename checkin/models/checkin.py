"""Presence: check-in rows (append-only) and anonymous satisfaction feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkin.models.activity import Occurrence
from checkin.models.base import Base, EnumText, UTCDateTime, one_of
from checkin.models.booking import Attendee
from checkin.vocabulary import CheckInMethod, FeedbackSource


class CheckIn(Base):
    """One attendee, or an anonymous headcount of ``count`` people in an age band, present at a
    session. Rows are never deleted: an undo sets ``undone_at``. The database allows one active
    row per (attendee, session) and one row per client id, so retries never duplicate."""

    __tablename__ = "check_in"
    __table_args__ = (
        CheckConstraint(
            "(attendee_id IS NOT NULL AND age_band IS NULL AND count = 1) OR "
            "(attendee_id IS NULL AND age_band IS NOT NULL AND count > 0)",
            name="person_or_headcount",
        ),
        CheckConstraint(one_of("method", CheckInMethod), name="method"),
        Index(
            "uq_check_in_attendee_session_active",
            "attendee_id",
            "session_id",
            unique=True,
            sqlite_where=text("undone_at IS NULL"),
            postgresql_where=text("undone_at IS NULL"),
        ),
        Index("ix_check_in_session_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("activity_session.id"))
    attendee_id: Mapped[int | None] = mapped_column(ForeignKey("attendee.id", ondelete="SET NULL"))
    # An AgeBand, or a HeadcountGroup for an anonymous headcount.
    age_band: Mapped[str | None] = mapped_column(String(8))
    count: Mapped[int] = mapped_column(default=1)
    method: Mapped[CheckInMethod] = mapped_column(EnumText(CheckInMethod, 12))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    device: Mapped[str | None] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)

    session: Mapped[Occurrence] = relationship()
    attendee: Mapped[Attendee | None] = relationship()


class Feedback(Base):
    """An anonymous smiley (1-5) for a session, from the door kiosk or a link."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
        CheckConstraint(one_of("source", FeedbackSource), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("activity_session.id"), index=True)
    score: Mapped[int]
    source: Mapped[FeedbackSource] = mapped_column(
        EnumText(FeedbackSource, 8), default=FeedbackSource.KIOSK
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
