"""Configuration, layered: defaults -> instance/config.py -> CHECKIN_* environment ->
DATABASE_URL -> test_config. Nothing here runs at import time of the app package."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask


class ConfigError(RuntimeError):
    """The app cannot start safely with this configuration."""


DEFAULTS: dict[str, Any] = {
    # "production" unless told otherwise: `make run` sets CHECKIN_ENVIRONMENT=development.
    # Production refuses to start with settings that are only safe on a developer's machine.
    "ENVIRONMENT": "production",  # "production" | "development"
    "SECRET_KEY": None,
    "SQLALCHEMY_DATABASE_URI": None,  # filled in from instance/ when still None
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    "BABEL_DEFAULT_LOCALE": "da",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
    # Locales with a catalog. Untranslated strings fall back to Danish (English to the source).
    "LANGUAGES": ["da", "en", "ar", "so", "uk", "tr"],
    "RTL_LANGUAGES": ["ar", "fa", "ur", "he"],
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host/-Port/
    # -Prefix (Werkzeug's ProxyFix). 0 = none: the headers are ignored, as a client could forge
    # them. Behind one nginx: 1. Rate limits key on the client address this reveals.
    "TRUSTED_PROXY_HOPS": 0,
    # Where rate-limit counters live. memory:// is per process: right for one process only
    # (gunicorn's start-up refuses it with several workers); redis://host:6379/0 is shared.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_KEY_PREFIX": "",  # when several apps share one Redis database
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_ENABLED": True,
    # When Redis stops answering, count in each process's memory until it answers again: a
    # Redis outage must not turn every sign-up into an error page.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    # Sign-up submissions per client address. A family centre's Wi-Fi or a carrier's shared
    # address is many households on one address: a busy sign-up morning there is some dozens
    # of bookings an hour, with a few failed tries each, and 20 in one minute is more than
    # people typing a form produce. A bot on one address is still stopped within a minute.
    "BOOKING_RATE_LIMIT": "120 per hour;20 per minute",
    # Bookings made per contact (the phone or e-mail given, normalised, kept in the limiter
    # only as a keyed hash): the limit that holds for one household whatever its address, and
    # stops anyone from flooding a phone or inbox with confirmations. Only bookings made
    # count, so a resident correcting a refused form loses nothing.
    "BOOKING_CONTACT_RATE_LIMIT": "5 per hour;20 per day",
    # Login submissions per client address (an office behind one address has a few staff),
    # and failed logins per e-mail address, from any address (password guessing from many).
    "LOGIN_RATE_LIMIT": "10 per minute",
    "LOGIN_ACCOUNT_RATE_LIMIT": "20 per hour",
    # Bytes one request may carry; a longer body is refused with 413 before it is parsed.
    # (Multipart bodies are bounded further by Flask's MAX_FORM_MEMORY_SIZE, 500 kB per field,
    # and MAX_FORM_PARTS, 1000 fields.) The largest real body, a desk's offline queue of 500
    # scans, is about 150 kB.
    "MAX_CONTENT_LENGTH": 1_000_000,
    "WTF_CSRF_TIME_LIMIT": None,  # a form left open on a phone for hours must still submit
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": None,  # None: True in production (HTTPS only), else False
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": None,  # None: True in production, else False
    # "Keep me logged in" on a staff or volunteer device: a month, then the password again
    # (Flask-Login's default of a year outlives many volunteers' time with us).
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    # Sent in production only (browsers then refuse plain HTTP to this host for a year). ""
    # sends none, e.g. when the proxy sends its own.
    "STRICT_TRANSPORT_SECURITY": "max-age=31536000; includeSubDomains",
    # e.g. https://checkin.example.dk. Production refuses to start without an https:// one;
    # in development None means the request's host on pages and http://127.0.0.1:5000 in
    # messages (which have no request).
    "PUBLIC_BASE_URL": None,
    "BOOKING_MAX_ATTENDEES": 8,
    "RETENTION_MONTHS": 12,
    # The desk's scope (README "Configuration"). Volunteers and desk links write to a session
    # only from this long before it starts (the door opens early) until this long after it
    # ends (late scans, walk-ins entered afterwards); staff and admins at any time.
    "DESK_WINDOW_BEFORE_MINUTES": 120,
    "DESK_WINDOW_AFTER_MINUTES": 240,
    # Anonymous people counted in one tap; the API never takes more than 50.
    "DESK_HEADCOUNT_MAX_PER_TAP": 20,
    # PIN tries on one desk link before it locks; it stays locked until staff unlock it.
    "DESK_PIN_MAX_ATTEMPTS": 5,
    "ORGANISATION_NAME": "Bysekretariatet, Randers Nordby",
    # Notifications (README "Notifications"). "file" writes each message to instance/outbox/
    # instead of sending it: the default, so development and demo data never reach a real
    # phone or inbox. Production sets "smtp" and "http".
    "NOTIFY_BACKEND_EMAIL": "file",  # "file" | "smtp"
    "NOTIFY_BACKEND_SMS": "file",  # "file" | "http"
    "NOTIFY_MAX_ATTEMPTS": 6,  # then a message is given up, its last error kept
    # Try new messages right after the request, in the web process. None: yes, unless in
    # production, where the message worker (`flask send-outbox --loop`) delivers instead and
    # a web worker is never held by a slow mail server.
    "NOTIFY_DELIVER_AFTER_RESPONSE": None,
    "NOTIFY_TIMEOUT_SECONDS": 10,  # per SMTP connection or gateway request
    "REMINDER_HOURS": 24,  # remind confirmed households this long before a session
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # STARTTLS
    "MAIL_USE_SSL": False,  # SMTP over TLS from the first byte (port 465)
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "Nordby Check-in <noreply@localhost>",
    "SMS_GATEWAY_URL": None,
    "SMS_GATEWAY_TOKEN": None,
    "SMS_SENDER": "Nordby",
    # JSON body for the gateway; "{to}", "{text}" and "{sender}" in its strings are replaced.
    "SMS_PAYLOAD_TEMPLATE": {"to": "{to}", "text": "{text}"},
}

_ENV_PREFIX = "CHECKIN_"


def _parse_env_value(raw: str) -> Any:
    """Environment values are JSON when they parse as JSON (numbers, booleans, lists), else text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def normalise_database_url(url: str) -> str:
    """Accept the common postgres:// spellings and select the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_production(app: Flask) -> bool:
    """True for a real deployment: not a test, not the debugger, not ENVIRONMENT=development."""
    return app.config["ENVIRONMENT"] == "production" and not (app.debug or app.testing)


# The key ``make run`` and the tests fall back to outside production: never a real secret.
DEV_SECRET_KEY = "dev-only-not-secret"


def production_problems(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What production must not start without: (setting, what is wrong and what to do).
    ``flask check`` reports the same list."""
    problems = []
    secret = config.get("SECRET_KEY")
    if not secret or secret == DEV_SECRET_KEY:
        problems.append(
            (
                "SECRET_KEY",
                "not set, or the development value: set CHECKIN_SECRET_KEY to a long random "
                "value, e.g. from `python3 -c 'import secrets; print(secrets.token_hex(32))'`",
            )
        )
    base_url = config.get("PUBLIC_BASE_URL") or ""
    if not base_url.startswith("https://"):
        problems.append(
            (
                "PUBLIC_BASE_URL",
                (f"{base_url!r} is not an https:// address" if base_url else "not set")
                + ": set CHECKIN_PUBLIC_BASE_URL to the address residents open, e.g. "
                "https://checkin.example.dk (links in e-mails, SMS and QR codes use it)",
            )
        )
    hops = config.get("TRUSTED_PROXY_HOPS")
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        problems.append(
            (
                "TRUSTED_PROXY_HOPS",
                f"{hops!r} is not a number of proxies: set CHECKIN_TRUSTED_PROXY_HOPS to 0 "
                "(none) or 1 (one nginx in front)",
            )
        )
    return problems


def _follow_environment(app: Flask) -> None:
    """Settings whose default depends on whether this is production, and engine options that
    depend on the database."""
    production = is_production(app)
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config[key] is None:
            app.config[key] = production
    if app.config["NOTIFY_DELIVER_AFTER_RESPONSE"] is None:
        app.config["NOTIFY_DELIVER_AFTER_RESPONSE"] = not production
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # A pooled connection may have died (server restart, pg_terminate_backend, a network
        # blip): test it on checkout instead of failing the request that draws it.
        # And a server that does not answer fails a connection in seconds, not minutes.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        connect_args = {"connect_timeout": 10, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            **options,
            "connect_args": connect_args,
        }


def load_config(
    app: Flask, test_config: dict[str, Any] | None, *, check_only: bool = False
) -> None:
    """Apply every configuration layer to ``app.config`` in order, then validate it: production
    refuses to start with any of ``production_problems`` (all of them named at once), unless
    ``check_only`` (``flask check`` builds the app to report them)."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile(str(Path(app.instance_path) / "config.py"), silent=True)
    for key, raw in os.environ.items():
        if key.startswith(_ENV_PREFIX):
            app.config[key[len(_ENV_PREFIX) :]] = _parse_env_value(raw)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri:
        uri = "sqlite:///" + str(Path(app.instance_path) / "checkin.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)

    _follow_environment(app)
    if not is_production(app):
        app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or DEV_SECRET_KEY
        return
    problems = production_problems(app.config)
    if problems and not check_only:
        raise ConfigError(
            "Refusing to start in production (ENVIRONMENT=production):"
            + "".join(f"\n  - {key}: {text}" for key, text in problems)
            + "\nSettings come from the CHECKIN_* environment or instance/config.py; "
            "`flask --app wsgi check` lists every problem."
        )
