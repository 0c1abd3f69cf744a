"""Nordby Check-in: activity sign-up and check-in for Bysekretariatet, Randers Nordby."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None, *, check_only: bool = False) -> Flask:
    """Build a configured app: paths, config, extensions, blueprints, error pages, CLI.
    Production settings that are missing raise ``ConfigError``, unless ``check_only``: then
    the app is built anyway, for ``flask check`` to report on (it never serves)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    # The instance folder (SQLite database, instance/config.py, the file outbox) may live
    # outside the code, e.g. /var/lib/nordby-checkin on a server.
    instance = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("CHECKIN_INSTANCE_PATH")
    if instance:
        app.instance_path = str(instance)

    from checkin.config import load_config

    load_config(app, test_config, check_only=check_only)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from checkin import (
        boundary,
        cli,
        database,
        errors,
        health,
        i18n,
        proxy,
        ratelimits,
        request_limits,
        security,
        static_files,
    )
    from checkin.blueprints import auth, desk, public, staff, tickets
    from checkin.extensions import csrf, db, login_manager, migrate

    proxy.trust_proxies(app)
    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    # Before CSRF, so requests without a token count against limits too.
    ratelimits.init_app(app, warn=not check_only)
    csrf.init_app(app)
    auth.init_login(app, login_manager)
    i18n.init_app(app)
    security.init_app(app)
    static_files.init_app(app)

    request_limits.init_app(app)
    boundary.init_app(app)  # before the blueprints: their routes use its converters
    health.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(tickets.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(desk.api)
    errors.register(app)
    cli.register(app)
    return app
