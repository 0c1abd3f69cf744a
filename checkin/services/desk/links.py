"""Per-tablet desk links: staff create one (a secret link plus a 6-digit PIN), a tablet opens
it once and then works with a short-lived signed API token; staff can revoke it at any time.

Only the SHA-256 of the link's token and the argon2 hash of the PIN are stored. A revoked link
stops its API tokens at once, because every request looks the link up. A link may be made for
one activity; it then writes only at that activity's sessions (``desk.scope``).

After ``DESK_PIN_MAX_ATTEMPTS`` wrong PINs in a row a link locks until staff unlock it. Each try
is counted in the database before its PIN is checked, by one guarded update in a transaction
of its own: the request that carries a wrong PIN is refused and rolled back, but its try must
stay counted; and tries sent at the same moment, to several app servers, each take one of the
remaining tries, so no burst gets more than the maximum.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import case, literal, select, update

from checkin.extensions import db
from checkin.models import Activity, DeskLink, User
from checkin.models.base import UTCDateTime
from checkin.services.accounts.logins import _hasher
from checkin.services.audit import record_audit
from checkin.services.codes import new_secret_token
from checkin.services.errors import DomainError

API_TOKEN_MAX_AGE = 12 * 3600  # seconds: one working day at the door
_SALT = "desk-api-token"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_desk_link(
    name: str, *, by: User | None, at: datetime, activity: Activity | None = None
) -> tuple[DeskLink, str, str]:
    """A new desk link named ``name``, for every activity or only for ``activity``; returns
    (link, token, PIN). The token and the PIN are shown once and never stored in clear."""
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
        activity_id=activity.id if activity is not None else None,
    )
    db.session.add(link)
    db.session.flush()
    return link, token, pin


def find_desk_link(token: str) -> DeskLink | None:
    """The link with this token, revoked or not."""
    return db.session.scalar(select(DeskLink).where(DeskLink.token_hash == _token_hash(token)))


def _max_attempts() -> int:
    return max(int(current_app.config["DESK_PIN_MAX_ATTEMPTS"]), 1)


def _take_a_try(link: DeskLink, *, at: datetime) -> int | None:
    """Count one PIN try on ``link``, committed at once in a connection of its own, unless the
    link is locked; returns the tries counted so far (this one included), or None when locked.
    The guarded update decides between tries sent at once, on SQLite and PostgreSQL alike. The
    link must already be committed (it always is: it was created in an earlier request)."""
    most = _max_attempts()
    statement = (
        update(DeskLink)
        .where(DeskLink.id == link.id, DeskLink.failed_pins < most)
        .values(
            failed_pins=DeskLink.failed_pins + 1,
            locked_at=case(
                (DeskLink.failed_pins + 1 >= most, literal(at, UTCDateTime())),
                else_=DeskLink.locked_at,
            ),
        )
        .returning(DeskLink.failed_pins)
    )
    with db.engine.begin() as connection:
        tries = connection.execute(statement).scalar()
        if (
            tries is None
            and connection.scalar(select(DeskLink.id).where(DeskLink.id == link.id)) is None
        ):
            # A programming error, not a lock: say so rather than answer "locked".
            raise RuntimeError("a desk link must be committed before it is opened")
    return tries


def _locked() -> DomainError:
    return DomainError(
        "link_locked",
        _l("This link is locked after too many wrong PINs. Ask staff to unlock it."),
        field="pin",
    )


def open_desk_link(token: str, pin: str, *, at: datetime) -> DeskLink:
    """The open link for ``token`` when ``pin`` is right; refuses with ``invalid_link``
    (unknown or revoked), ``wrong_pin``, or ``link_locked`` once ``DESK_PIN_MAX_ATTEMPTS``
    wrong PINs came in a row (then even the right PIN is refused until staff unlock the link).
    A right PIN starts the count again."""
    link = find_desk_link(token or "")
    if link is None or link.revoked_at is not None:
        raise DomainError(
            "invalid_link", _l("This desk link is not valid. Ask staff for a new one.")
        )
    verify_desk_link_pin(link, pin, at=at)
    link.last_used_at = at
    return link


def verify_desk_link_pin(link: DeskLink, pin: str, *, at: datetime) -> None:
    """Refuse a wrong ``pin`` for ``link`` (``wrong_pin``), and every PIN once
    ``DESK_PIN_MAX_ATTEMPTS`` wrong ones came in a row (``link_locked``) until staff unlock it;
    a right PIN starts the count again. Opening a link and leaving its kiosk share the count."""
    tries = _take_a_try(link, at=at)
    if tries is None:
        raise _locked()
    try:
        _hasher()[0].verify(link.pin_hash, (pin or "").strip())
    except (VerificationError, InvalidHashError) as error:
        if tries >= _max_attempts():
            raise _locked() from error
        raise DomainError("wrong_pin", _l("The PIN is wrong."), field="pin") from error
    # A statement, not attribute changes: the count was written in another connection, so the
    # session still holds the value from before this try and would see nothing to change.
    db.session.execute(
        update(DeskLink).where(DeskLink.id == link.id).values(failed_pins=0, locked_at=None)
    )


def unlock_desk_link(link: DeskLink, *, by: User | None, at: datetime) -> None:
    """Let a link locked by wrong PINs be opened again (audit-logged); its PIN is unchanged."""
    if link.locked_at is None and not link.failed_pins:
        return
    link.failed_pins = 0
    link.locked_at = None
    db.session.flush()
    record_audit("unlock_desk_link", by=by, at=at, object_type="desk_link", object_id=link.id)


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
