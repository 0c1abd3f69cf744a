"""What is offered: effort areas, projects, activities, their sessions and targets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkin.models.base import Base, EnumText, UTCDateTime, one_of
from checkin.vocabulary import SessionStatus, TargetGroup, TargetMetric


class EffortArea(Base):
    """A funder's effort area (indsatsområde), configurable because plans rename them."""

    __tablename__ = "effort_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class Project(Base):
    """A funded effort; evaluations are reported per project."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    effort_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("effort_area.id", ondelete="SET NULL"), index=True
    )
    funder: Mapped[str | None] = mapped_column(String(160))
    description: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(default=True)

    effort_area: Mapped[EffortArea | None] = relationship()
    activities: Mapped[list[Activity]] = relationship(back_populates="project")


class Activity(Base):
    """A recurring or one-off offer, e.g. "Lektiecafé". ``default_capacity`` None means no seat
    limit; ``signup_required`` False means an open activity where people mostly walk in."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint(one_of("target_group", TargetGroup), name="target_group"),
        CheckConstraint("default_capacity IS NULL OR default_capacity >= 0", name="capacity"),
        CheckConstraint(
            "min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="age_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str | None] = mapped_column(Text)
    target_group: Mapped[TargetGroup] = mapped_column(
        EnumText(TargetGroup, 20), default=TargetGroup.EVERYONE
    )
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    place: Mapped[str | None] = mapped_column(String(200))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    default_capacity: Mapped[int | None]
    signup_required: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship(back_populates="activities")
    sessions: Mapped[list[Occurrence]] = relationship(
        back_populates="activity", order_by="Occurrence.starts_at"
    )
    translations: Mapped[list[ActivityTranslation]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )

    def text_for(self, locale: str) -> tuple[str, str | None]:
        """Name and description in ``locale`` where staff wrote one, else the default text."""
        for translation in self.translations:
            if translation.locale == locale:
                return translation.name or self.name, translation.description or self.description
        return self.name, self.description


class ActivityTranslation(Base):
    """An activity's name and description in one more language."""

    __tablename__ = "activity_translation"
    __table_args__ = (UniqueConstraint("activity_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(10))
    name: Mapped[str | None] = mapped_column(String(160))
    description: Mapped[str | None] = mapped_column(Text)

    activity: Mapped[Activity] = relationship(back_populates="translations")


class Occurrence(Base):
    """One dated occurrence of an activity: a "session" in the UI and the table name, named apart
    from Flask's ``session`` and SQLAlchemy's. ``seats_taken`` changes only through the guarded
    update in ``services.booking``; ``capacity`` None means unlimited."""

    __tablename__ = "activity_session"
    __table_args__ = (
        CheckConstraint("seats_taken >= 0", name="seats_taken_positive"),
        CheckConstraint("capacity IS NULL OR seats_taken <= capacity", name="within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(one_of("status", SessionStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int | None]
    seats_taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[SessionStatus] = mapped_column(
        EnumText(SessionStatus, 12), default=SessionStatus.SCHEDULED
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    activity: Mapped[Activity] = relationship(back_populates="sessions")

    @property
    def seats_left(self) -> int | None:
        """Free seats, or None when the session has no seat limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def where(self) -> str | None:
        return self.place or self.activity.place


class Target(Base):
    """A goal for an activity or a whole project over a period, e.g. 40 unique participants."""

    __tablename__ = "target"
    __table_args__ = (
        CheckConstraint("(activity_id IS NULL) <> (project_id IS NULL)", name="one_owner"),
        CheckConstraint(one_of("metric", TargetMetric), name="metric"),
        CheckConstraint("period_end >= period_start", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    metric: Mapped[TargetMetric] = mapped_column(EnumText(TargetMetric, 30))
    value: Mapped[int]
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(String(200))
