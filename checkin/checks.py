"""``flask check``: is this configuration ready to serve? One line per check (ok, WARN or FAIL,
with what to do), and a non-zero exit status on any FAIL, for deploy scripts.

Production settings the app refuses to start without (``config.production_problems``) are
reported here too: the command builds the app with ``check_only`` so that it can list every
problem at once instead of stopping at the first.

The checks connect to what the app will use (database, SMTP server, Redis) with short
timeouts; they never send a message.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import click
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask.cli import ScriptInfo
from limits.storage import storage_from_string
from sqlalchemy import make_url, text
from sqlalchemy.exc import SQLAlchemyError

from checkin.config import DEFAULTS, DEV_SECRET_KEY, is_production, production_problems
from checkin.extensions import db
from checkin.ratelimits import is_process_local, storage_scheme
from checkin.services.notify.backends import SmtpBackend
from checkin.urls import DEV_BASE_URL

OK, WARN, FAIL = "ok", "WARN", "FAIL"
CONNECT_TIMEOUT_SECONDS = 5
MIN_SECRET_LENGTH = 32
UPGRADE = "`flask --app wsgi db upgrade`"


@dataclass(frozen=True)
class Finding:
    level: str  # OK, WARN or FAIL
    topic: str  # the setting or thing checked
    text: str  # what was found, and for WARN and FAIL what to do
    stops_start: bool = False  # production refuses to start until it is fixed

    def line(self) -> str:
        return f"{self.level:<4}  {self.topic:<16} {self.text}"


def _first_line(error: BaseException) -> str:
    message = str(error).strip().splitlines()
    return f"{type(error).__name__}: {message[0]}" if message else type(error).__name__


def check_secret_key(app: Flask, production: bool) -> Iterator[Finding]:
    secret = app.config.get("SECRET_KEY") or ""
    if not secret or secret == DEV_SECRET_KEY:
        if production:
            return  # a production problem, reported with them
        yield Finding(OK, "SECRET_KEY", "the development value (production needs its own)")
    elif len(secret) < MIN_SECRET_LENGTH:
        yield Finding(
            WARN if production else OK,
            "SECRET_KEY",
            f"only {len(secret)} characters: use at least {MIN_SECRET_LENGTH} random ones "
            "(it signs sessions and desk tokens)",
        )
    else:
        yield Finding(OK, "SECRET_KEY", f"set ({len(secret)} characters)")


def check_base_url(app: Flask, production: bool) -> Iterator[Finding]:
    base_url = app.config.get("PUBLIC_BASE_URL")
    if production and not (base_url or "").startswith("https://"):
        return  # a production problem
    if base_url:
        yield Finding(OK, "PUBLIC_BASE_URL", base_url)
    else:
        yield Finding(
            WARN,
            "PUBLIC_BASE_URL",
            f"not set: links in messages point at {DEV_BASE_URL} (development only)",
        )


def check_proxy(app: Flask, production: bool) -> Iterator[Finding]:
    hops = app.config.get("TRUSTED_PROXY_HOPS")
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        return  # a production problem; development ignores it
    if hops:
        yield Finding(OK, "proxy", f"TRUSTED_PROXY_HOPS={hops}: X-Forwarded-* of {hops} trusted")
    elif production:
        yield Finding(
            WARN,
            "proxy",
            "TRUSTED_PROXY_HOPS=0: behind nginx every resident has the proxy's address (one "
            "rate-limit bucket for all, http:// links): set CHECKIN_TRUSTED_PROXY_HOPS=1, "
            "unless clients reach gunicorn directly",
        )
    else:
        yield Finding(OK, "proxy", "TRUSTED_PROXY_HOPS=0: no proxy trusted")


def check_cookies(app: Flask, production: bool) -> Iterator[Finding]:
    config = app.config
    if production and not (config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]):
        yield Finding(
            WARN,
            "cookies",
            "SESSION_COOKIE_SECURE or REMEMBER_COOKIE_SECURE is off: logins may travel over "
            "plain HTTP; leave both unset in production (they follow ENVIRONMENT)",
        )
    else:
        secure = "secure, " if config["SESSION_COOKIE_SECURE"] else ""
        duration = config["REMEMBER_COOKIE_DURATION"]
        days = getattr(duration, "days", None) or int(duration) // 86400
        yield Finding(
            OK,
            "cookies",
            f"{secure}SameSite={config['SESSION_COOKIE_SAMESITE']}, "
            f"'keep me logged in' for {days} days",
        )


def check_database(app: Flask, production: bool) -> Iterator[Finding]:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    where = url.render_as_string(hide_password=True)
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        yield Finding(
            FAIL, "database", f"{where} does not answer ({_first_line(error)}): check DATABASE_URL"
        )
        return
    if production and url.get_backend_name() == "sqlite":
        yield Finding(
            WARN,
            "database",
            f"{where}: SQLite serves one machine only; several app servers need PostgreSQL",
        )
    else:
        yield Finding(OK, "database", f"{where} answers")
    migrate_config = app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(migrate_config).get_heads())
    if current == heads:
        yield Finding(OK, "migrations", f"at the newest revision ({', '.join(sorted(heads))})")
    elif not current:
        yield Finding(FAIL, "migrations", f"the database is empty (not migrated): run {UPGRADE}")
    else:
        yield Finding(
            FAIL,
            "migrations",
            f"the database is at {', '.join(sorted(current))}, the code at "
            f"{', '.join(sorted(heads))}: run {UPGRADE}",
        )


def check_email(app: Flask, production: bool) -> Iterator[Finding]:
    config = app.config
    backend = config["NOTIFY_BACKEND_EMAIL"]
    if backend != "smtp":
        level = WARN if production else OK
        yield Finding(
            level,
            "e-mail",
            f"NOTIFY_BACKEND_EMAIL={backend}: e-mails are written to instance/outbox/, not sent"
            + ("; set CHECKIN_NOTIFY_BACKEND_EMAIL=smtp and MAIL_*" if production else ""),
        )
        return
    missing = [key for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_FROM") if not config.get(key)]
    if missing:
        yield Finding(
            FAIL, "e-mail", f"{', '.join(missing)} not set: set CHECKIN_{missing[0]} and the rest"
        )
        return
    server = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    settings = {**config, "NOTIFY_TIMEOUT_SECONDS": CONNECT_TIMEOUT_SECONDS}
    try:
        SmtpBackend(settings).check_connection()
    except (OSError, smtplib.SMTPException, ssl.SSLError) as error:
        yield Finding(
            FAIL,
            "e-mail",
            f"SMTP server {server} refused or did not answer ({_first_line(error)}): check "
            "MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS/MAIL_USE_SSL and the login",
        )
    else:
        steps = ["answers"]
        if config["MAIL_USE_SSL"] or config["MAIL_USE_TLS"]:
            steps.append("TLS")
        if config["MAIL_USERNAME"]:
            steps.append("login accepted")
        yield Finding(OK, "e-mail", f"SMTP server {server} " + ", ".join(steps))
    if production and config["MAIL_FROM"] == DEFAULTS["MAIL_FROM"]:
        yield Finding(
            WARN,
            "e-mail",
            f"MAIL_FROM is the default {config['MAIL_FROM']!r}: set CHECKIN_MAIL_FROM to an "
            "address of yours, or replies and spam filters go wrong",
        )


def check_sms(app: Flask, production: bool) -> Iterator[Finding]:
    config = app.config
    backend = config["NOTIFY_BACKEND_SMS"]
    if backend != "http":
        yield Finding(
            WARN if production else OK,
            "SMS",
            f"NOTIFY_BACKEND_SMS={backend}: text messages are written to instance/outbox/, "
            "not sent" + ("; set CHECKIN_NOTIFY_BACKEND_SMS=http and SMS_*" if production else ""),
        )
        return
    url = config.get("SMS_GATEWAY_URL") or ""
    if not url:
        yield Finding(FAIL, "SMS", "SMS_GATEWAY_URL not set: set CHECKIN_SMS_GATEWAY_URL")
        return
    if not url.startswith("https://"):
        yield Finding(WARN, "SMS", f"SMS_GATEWAY_URL {url} is not https: the token travels open")
    if config.get("SMS_GATEWAY_TOKEN"):
        yield Finding(OK, "SMS", f"gateway {url}, token set (not called: it would send)")
    else:
        yield Finding(
            WARN, "SMS", f"gateway {url} without SMS_GATEWAY_TOKEN: right only if it needs none"
        )


def check_rate_limits(app: Flask, production: bool) -> Iterator[Finding]:
    config = app.config
    uri = str(config["RATELIMIT_STORAGE_URI"])
    shown = make_url(uri).render_as_string(hide_password=True) if "://" in uri else uri
    if not config["RATELIMIT_ENABLED"]:
        yield Finding(
            WARN if production else OK, "rate limits", "RATELIMIT_ENABLED is off: nothing limited"
        )
        return
    if is_process_local(config):
        if production:
            yield Finding(
                WARN,
                "rate limits",
                f"{shown} counts per process: only correct with one process; with several "
                "workers set CHECKIN_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0",
            )
        else:
            yield Finding(OK, "rate limits", f"{shown} (one process)")
        return
    try:
        options = {**config.get("RATELIMIT_STORAGE_OPTIONS", {})}
        if storage_scheme(config).startswith(("redis", "valkey")):
            options.update(socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
        healthy = storage_from_string(uri, **options).check()
    except Exception as error:  # noqa: BLE001 - any storage's own error is the finding
        healthy, why = False, _first_line(error)
    else:
        why = "no answer"
    if healthy:
        yield Finding(OK, "rate limits", f"{shown} answers")
    else:
        yield Finding(
            FAIL,
            "rate limits",
            f"{shown} does not answer ({why}): start it or fix CHECKIN_RATELIMIT_STORAGE_URI",
        )


CHECKS: list[Callable[[Flask, bool], Iterator[Finding]]] = [
    check_secret_key,
    check_base_url,
    check_proxy,
    check_cookies,
    check_database,
    check_email,
    check_sms,
    check_rate_limits,
]


def run_checks(app: Flask) -> list[Finding]:
    """Every finding about ``app``'s configuration, production's must-haves first."""
    production = is_production(app)
    findings = [
        Finding(FAIL, key, text, stops_start=True)
        for key, text in production_problems(app.config)
        if production
    ]
    with app.app_context():
        for check in CHECKS:
            findings.extend(check(app, production))
    return findings


def summary(findings: list[Finding]) -> str:
    counts = {level: sum(f.level == level for f in findings) for level in (FAIL, WARN, OK)}
    tally = f"{counts[FAIL]} FAIL, {counts[WARN]} WARN, {counts[OK]} ok"
    if counts[FAIL]:
        stopping = [f.topic for f in findings if f.stops_start]
        until = f" (the app will not start without: {', '.join(stopping)})" if stopping else ""
        return f"{tally}: not ready, fix every FAIL{until}."
    if counts[WARN]:
        return f"{tally}: ready, if each WARN is right for this installation."
    return f"{tally}: ready."


def _app_to_check() -> Flask:
    """The app a test hands over (``FlaskCliRunner``), else this installation's, built even
    when production settings are missing."""
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None and info.create_app is not None:
        return info.load_app()
    from checkin import create_app

    return create_app(check_only=True)


@click.command("check")
def check_command() -> None:
    """Check this configuration: database, migrations, base URL, secret key, mail, SMS, rate
    limits. One line per check; exit status 1 on any FAIL."""
    try:
        app = _app_to_check()
    except Exception as error:  # a configuration that cannot even build the app
        click.echo(Finding(FAIL, "app", f"cannot be built: {_first_line(error)}").line())
        raise SystemExit(1) from error
    kind = "production" if is_production(app) else "development or tests"
    click.echo(f"Checking this configuration for {kind} (ENVIRONMENT={app.config['ENVIRONMENT']})")
    findings = run_checks(app)
    for finding in findings:
        click.echo(finding.line())
    click.echo(summary(findings))
    if any(finding.level == FAIL for finding in findings):
        raise SystemExit(1)
