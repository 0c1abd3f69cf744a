"""The door: tablet desk links, volunteers assigned to activities, and every scan's outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkin.models.activity import Activity
from checkin.models.base import Base, UTCDateTime
from checkin.models.user import User


class DeskLink(Base):
    """A per-tablet link with a PIN that staff create and can revoke. ``token_hash`` and
    ``pin_hash`` are stored, never the secrets themselves. ``activity_id`` (optional) holds the
    tablet to one activity's sessions. ``failed_pins`` counts PIN tries since the last right
    one; at the configured maximum the link is locked (``locked_at``) until staff unlock it."""

    __tablename__ = "desk_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    failed_pins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()
    activity: Mapped[Activity | None] = relationship()


class VolunteerAssignment(Base):
    """A volunteer who helps at an activity: their sessions come first at the desk, and a
    volunteer held to their activities (``User.desk_assigned_only``) writes only there."""

    __tablename__ = "volunteer_assignment"
    __table_args__ = (UniqueConstraint("user_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )


class VolunteerShift(Base):
    """Hours a volunteer gave at one session, for the evaluation's volunteer figures."""

    __tablename__ = "volunteer_shift"
    __table_args__ = (
        UniqueConstraint("user_id", "session_id"),
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("activity_session.id", ondelete="CASCADE"), index=True
    )
    minutes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )


class ScanLog(Base):
    """The outcome of every scan or desk action, refused ones included (history and offline
    sync). ``client_id`` makes a replayed request answer with the original result."""

    __tablename__ = "scan_log"
    __table_args__ = (Index("ix_scan_log_session_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("activity_session.id"))
    code: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(24))
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_in.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    desk_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("desk_link.id", ondelete="SET NULL")
    )
    device: Mapped[str | None] = mapped_column(String(120))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offline: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
