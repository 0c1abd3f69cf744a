"""Configuration, layered: defaults -> instance/config.py -> CHECKIN_* environment ->
DATABASE_URL -> test_config. Nothing here runs at import time of the app package."""

from __future__ import annotations

import json
import os
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
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_ENABLED": True,
    # Bytes one request may carry; a longer body is refused with 413 before it is parsed.
    # (Multipart bodies are bounded further by Flask's MAX_FORM_MEMORY_SIZE, 500 kB per field,
    # and MAX_FORM_PARTS, 1000 fields.) The largest real body, a desk's offline queue of 500
    # scans, is about 150 kB.
    "MAX_CONTENT_LENGTH": 1_000_000,
    "WTF_CSRF_TIME_LIMIT": None,  # a form left open on a phone for hours must still submit
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    # e.g. https://checkin.example.dk; None = the request's host on pages, and
    # http://127.0.0.1:5000 in messages (which have no request): set it in production.
    "PUBLIC_BASE_URL": None,
    "BOOKING_MAX_ATTENDEES": 8,
    "BOOKING_RATE_LIMIT": "20 per hour;5 per minute",  # per IP, on sign-up submissions
    "RETENTION_MONTHS": 12,
    "ORGANISATION_NAME": "Bysekretariatet, Randers Nordby",
    # Notifications (README "Notifications"). "file" writes each message to instance/outbox/
    # instead of sending it: the default, so development and demo data never reach a real
    # phone or inbox. Production sets "smtp" and "http".
    "NOTIFY_BACKEND_EMAIL": "file",  # "file" | "smtp"
    "NOTIFY_BACKEND_SMS": "file",  # "file" | "http"
    "NOTIFY_MAX_ATTEMPTS": 6,  # then a message is given up, its last error kept
    "NOTIFY_DELIVER_AFTER_RESPONSE": True,  # try new messages right after the request
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


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Apply every configuration layer to ``app.config`` in order, then validate it."""
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

    if not app.config["SECRET_KEY"]:
        if not is_production(app):
            app.config["SECRET_KEY"] = "dev-only-not-secret"
        else:
            raise ConfigError(
                "SECRET_KEY is not set. Set CHECKIN_SECRET_KEY in the environment "
                "(or SECRET_KEY in instance/config.py)."
            )
