"""Per-tablet desk links: staff create one (a secret link plus a 6-digit PIN), a tablet opens
it once and then works with a short-lived signed API token; staff can revoke it at any time.

Only the SHA-256 of the link's token and the argon2 hash of the PIN are stored. A revoked link
stops its API tokens at once, because every request looks the link up.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import DeskLink, User
from checkin.services.accounts.logins import _hasher
from checkin.services.codes import new_secret_token
from checkin.services.errors import DomainError

API_TOKEN_MAX_AGE = 12 * 3600  # seconds: one working day at the door
_SALT = "desk-api-token"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_desk_link(name: str, *, by: User | None, at: datetime) -> tuple[DeskLink, str, str]:
    """A new desk link named ``name``; returns (link, token, PIN). The token and the PIN are
    shown once and never stored in clear."""
    name = name.strip()
    if not name:
        raise DomainError("name_required", _l("Give the desk a name."), field="name")
    token = new_secret_token()
    pin = f"{secrets.randbelow(10**6):06d}"
    link = DeskLink(
        name=name[:120],
        token_hash=_token_hash(token),
        pin_hash=_hasher()[0].hash(pin),
        created_by_id=by.id if by else None,
        created_at=at,
    )
    db.session.add(link)
    db.session.flush()
    return link, token, pin


def find_desk_link(token: str) -> DeskLink | None:
    """The link with this token, revoked or not."""
    return db.session.scalar(select(DeskLink).where(DeskLink.token_hash == _token_hash(token)))


def open_desk_link(token: str, pin: str, *, at: datetime) -> DeskLink:
    """The open link for ``token`` when ``pin`` is right; refuses with ``invalid_link``
    (unknown or revoked) or ``wrong_pin``."""
    link = find_desk_link(token or "")
    if link is None or link.revoked_at is not None:
        raise DomainError(
            "invalid_link", _l("This desk link is not valid. Ask staff for a new one.")
        )
    try:
        _hasher()[0].verify(link.pin_hash, (pin or "").strip())
    except (VerificationError, InvalidHashError) as error:
        raise DomainError("wrong_pin", _l("The PIN is wrong."), field="pin") from error
    link.last_used_at = at
    return link


def revoke_desk_link(link: DeskLink, *, at: datetime) -> None:
    """Stop a link and every API token issued through it."""
    if link.revoked_at is None:
        link.revoked_at = at


def list_desk_links() -> list[DeskLink]:
    return list(db.session.scalars(select(DeskLink).order_by(DeskLink.created_at.desc())))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue_api_token(link: DeskLink) -> str:
    """A signed bearer token for the API, valid ``API_TOKEN_MAX_AGE`` seconds."""
    return _serializer().dumps({"link": link.id})


def desk_link_for_api_token(token: str, *, max_age: int = API_TOKEN_MAX_AGE) -> DeskLink | None:
    """The open desk link a bearer token speaks for, or None (bad, expired or revoked)."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    link_id = data.get("link") if isinstance(data, dict) else None
    link = db.session.get(DeskLink, link_id) if isinstance(link_id, int) else None
    return link if link is not None and link.revoked_at is None else None


def open_desk_link_id(link_id: int | None) -> DeskLink | None:
    """The desk link a tablet's browser session holds, while it is not revoked."""
    link = db.session.get(DeskLink, link_id) if isinstance(link_id, int) else None
    return link if link is not None and link.revoked_at is None else None
