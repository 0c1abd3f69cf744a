"""Messages owed to residents, written in the same transaction as the change that causes them.

The notify service delivers them later and retries; a failed send never undoes a booking.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkin.models.base import Base, EnumText, UTCDateTime, one_of
from checkin.models.booking import Booking
from checkin.vocabulary import MessageKind

_NOT_TICKETS = f"kind <> '{MessageKind.TICKETS.value}'"


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(one_of("kind", MessageKind), name="kind"),
        # One promotion or reminder per booking and session, however often a job runs.
        # ("tickets", resent by staff on request, is the one kind that may repeat: the
        # unique index below excludes it.)
        Index(
            "uq_outbox_message_once",
            "kind",
            "booking_id",
            "session_id",
            unique=True,
            sqlite_where=text(_NOT_TICKETS),
            postgresql_where=text(_NOT_TICKETS),
        ),
        Index(
            "ix_outbox_message_pending",
            "next_attempt_at",
            sqlite_where=text("sent_at IS NULL"),
            postgresql_where=text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MessageKind] = mapped_column(EnumText(MessageKind, 24))
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_session.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    # A Channel value; None = the resident's own choice.
    channel: Mapped[str | None] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    last_error: Mapped[str | None] = mapped_column(Text)

    booking: Mapped[Booking] = relationship()
