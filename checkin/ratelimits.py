"""Rate limits: where the counters live, whose they are, and the limits the routes share.

Limits key on the client address (``request.remote_addr``: the real client once
``TRUSTED_PROXY_HOPS`` trusts the proxy, see ``checkin.proxy``) and, where one address may be
many people, also on what identifies one household or one account: the contact given in a
sign-up, the e-mail typed into the login form. Those keys are keyed hashes (HMAC with the
app's secret key), so the limiter's storage (Redis) never holds a phone number or an e-mail
address, and a plain hash of the few million Danish phone numbers cannot be reversed by trying
them all.

Counters in ``memory://`` belong to one process: with several gunicorn workers each has its
own, and every limit is multiplied by the number of workers. ``require_shared_storage`` is
what the server's start-up calls to refuse that.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

from checkin.config import ConfigError, is_production
from checkin.extensions import limiter
from checkin.services.errors import DomainError
from checkin.services.people import normalise_email, normalise_phone

# Schemes of storages whose counters live in the process itself.
PROCESS_LOCAL_SCHEMES = ("memory",)


def storage_scheme(config: Mapping[str, Any]) -> str:
    uri = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    return uri.split("://", 1)[0].lower()


def is_process_local(config: Mapping[str, Any]) -> bool:
    """True when each process counts for itself (``memory://``)."""
    return storage_scheme(config) in PROCESS_LOCAL_SCHEMES


def require_shared_storage(app_or_config: Flask | Mapping[str, Any], processes: int) -> None:
    """Refuse to serve from ``processes`` processes with counters that each process keeps for
    itself (every limit would be ``processes`` times too generous, and differ by worker).
    Called by the server's start-up (deploy/gunicorn.conf.py) with its worker count."""
    config = app_or_config.config if isinstance(app_or_config, Flask) else app_or_config
    if processes > 1 and config.get("RATELIMIT_ENABLED", True) and is_process_local(config):
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI is {config.get('RATELIMIT_STORAGE_URI')!r}, which counts "
            f"per process, but {processes} processes would serve: set "
            "CHECKIN_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (a Redis all processes "
            "share), or serve from one process."
        )


def init_app(app: Flask, *, warn: bool = True) -> None:
    """Bind the limiter; in production say loudly when counters are per process (``warn`` is
    off for ``flask check``, which reports it in its own words)."""
    if storage_scheme(app.config) in ("redis", "rediss", "valkey", "valkeys"):
        # A Redis that stops answering must cost a request a second, not a hung worker; the
        # in-memory fallback (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED) then keeps limits going.
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {
            "socket_connect_timeout": 1,
            "socket_timeout": 1,
            **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}),
        }
    limiter.init_app(app)
    if (
        warn
        and is_production(app)
        and app.config["RATELIMIT_ENABLED"]
        and is_process_local(app.config)
    ):
        app.logger.warning(
            "RATE LIMITS ARE PER PROCESS: RATELIMIT_STORAGE_URI is %r. This is only correct "
            "when exactly one process serves the app; with several gunicorn workers or hosts "
            "set CHECKIN_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.",
            app.config["RATELIMIT_STORAGE_URI"],
        )


def configured(key: str) -> Callable[[], str]:
    """A limit read from the configuration at request time (each app may set its own)."""
    return lambda: str(current_app.config[key])


def _keyed_hash(kind: str, value: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return kind + ":" + hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _normalised(normalise: Callable[[str], str | None], raw: str) -> str:
    """The canonical form of a contact, or the text as typed when it does not parse (the form
    then refuses it, and a refused form costs nothing)."""
    try:
        return normalise(raw) or ""
    except DomainError:
        return raw.strip().lower()


def _posted(field: str) -> str:
    return str(request.form.get(field, "")).strip()


def phone_key() -> str:
    return _keyed_hash("phone", _normalised(normalise_phone, _posted("phone")))


def email_key() -> str:
    # Lower case throughout: "Leila@" and "leila@" reach the same inbox in practice.
    return _keyed_hash("email", _normalised(normalise_email, _posted("email")).lower())


def login_email_key() -> str:
    return _keyed_hash("login", _posted("email").lower())


def without(field: str) -> Callable[[], bool]:
    """exempt_when: the limit keyed on ``field`` does not apply when nothing was typed in it."""
    return lambda: not _posted(field)


def redirected(response: Response) -> bool:
    """deduct_when: the form did its work (a booking made, a login accepted)."""
    return 300 <= response.status_code < 400


def not_redirected(response: Response) -> bool:
    """deduct_when: the form was refused (a wrong password shows the form again)."""
    return not redirected(response)
