"""Where residents live: areas (boligområder) and their departments (afdelinger)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkin.models.base import Base


class Area(Base):
    """A configurable area. ``is_resident_area`` separates the plan's estates from
    "elsewhere in Randers" and "outside Randers", so figures can split resident vs non-resident."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_resident_area: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    departments: Mapped[list[Department]] = relationship(
        back_populates="area", order_by="Department.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Area {self.name!r}>"


class Department(Base):
    """A housing department (afdeling) within an area, e.g. "Falkevej"."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)

    area: Mapped[Area] = relationship(back_populates="departments")

    def __repr__(self) -> str:
        return f"<Department {self.name!r}>"
