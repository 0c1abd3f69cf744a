"""The same human across bookings: the unit of "unique participants" in evaluations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from checkin.models.base import Base, UTCDateTime


class Participant(Base):
    """A person matched on contact + first name + birth year, mergeable by staff.

    ``pseudonym`` is the random id used in pseudonymous exports. ``match_key`` is the normalised
    matching key; it is cleared on anonymisation so the person can no longer be re-identified,
    while the row (and so the evaluation figures) stays.
    """

    __tablename__ = "participant"
    __table_args__ = (Index("ix_participant_match_key", "match_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    match_key: Mapped[str | None] = mapped_column(String(128))
    first_name: Mapped[str | None] = mapped_column(String(80))
    birth_year: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(String(8))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    is_resident: Mapped[bool | None]
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    anonymized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
