"""Staff and volunteer accounts: creation and password checks."""

from __future__ import annotations

from dataclasses import astuple
from datetime import datetime
from functools import cache
from typing import Any

from argon2 import DEFAULT_RANDOM_SALT_LENGTH, Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import User
from checkin.services.errors import DomainError
from checkin.vocabulary import Role, member_or_none

MIN_PASSWORD_LENGTH = 10


@cache
def _hasher_for(parameters: tuple[Any, ...] | None) -> tuple[PasswordHasher, str]:
    hasher = (
        PasswordHasher.from_parameters(Parameters(*parameters)) if parameters else PasswordHasher()
    )
    # Verified against when the e-mail is unknown, so a miss costs as much as a wrong password.
    return hasher, hasher.hash("not-a-real-password", salt=b"0" * DEFAULT_RANDOM_SALT_LENGTH)


def _hasher() -> tuple[PasswordHasher, str]:
    """argon2id with the library's defaults, or ``ARGON2_PARAMETERS`` from the config (the
    tests use argon2's cheapest profile: hashing is deliberately slow)."""
    parameters = current_app.config.get("ARGON2_PARAMETERS")
    return _hasher_for(astuple(parameters) if parameters else None)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, password: str, *, name: str, role: str, at: datetime) -> User:
    """Create a login. Roles are admin, staff or volunteer; passwords are argon2id hashed and
    at least ``MIN_PASSWORD_LENGTH`` long; e-mails are unique regardless of case."""
    known_role = member_or_none(Role, role)
    if known_role is None:
        raise DomainError("invalid_role", _l("Unknown role."), field="role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            "weak_password",
            _l("The password must be at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise DomainError("email_taken", _l("A user with this e-mail exists."), field="email")
    user = User(
        email=email,
        name=name.strip() or email,
        role=known_role,
        password_hash=_hasher()[0].hash(password),
        created_at=at,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """A new password ends every session of the login: whoever knew the old one is out."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("weak_password", _l("The password is too short."), field="password")
    user.password_hash = _hasher()[0].hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every session and "keep me logged in" cookie of ``user``, on every device: cookies
    carry the session version they were issued with (``User.get_id``), and only the current
    one logs in. Used at logout, on a new password and on deactivation."""
    user.session_version += 1


def authenticate(email: str, password: str, *, at: datetime) -> User | None:
    """The active user with this e-mail and password, or None. Timing does not reveal whether
    the e-mail exists."""
    hasher, dummy_hash = _hasher()
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    try:
        hasher.verify(user.password_hash if user else dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = at
    return user
