"""Staff and volunteer logins."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String, false
from sqlalchemy.orm import Mapped, mapped_column

from checkin.models.base import Base, EnumText, UTCDateTime, one_of
from checkin.vocabulary import Role

_RANKS = list(Role)  # highest first


class User(UserMixin, Base):
    """A login. Roles nest: an admin may do what staff may, staff what volunteers may."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(one_of("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(EnumText(Role, 12))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff may hold a volunteer to the activities they are assigned to: at the desk they
    # then write only to those activities' sessions.
    desk_assigned_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Part of every session's and remember cookie's user id: bumping it ends them all (logout,
    # a new password, deactivation), since a cookie cannot be taken back from a browser.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: "<id>:<version>"."""
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        """True when the user's role, or a role above it, is among ``roles``."""
        rank = _RANKS.index(self.role)
        return any(rank <= _RANKS.index(Role(role)) for role in roles)
