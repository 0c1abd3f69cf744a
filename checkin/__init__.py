"""Nordby Check-in: activity sign-up and check-in for Bysekretariatet, Randers Nordby."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build a configured app: paths, config, extensions, blueprints, error pages, CLI."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    if test_config and "INSTANCE_PATH" in test_config:
        app.instance_path = str(test_config["INSTANCE_PATH"])

    from checkin.config import load_config

    load_config(app, test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from checkin import (
        boundary,
        cli,
        database,
        errors,
        i18n,
        request_limits,
        security,
        static_files,
    )
    from checkin.blueprints import auth, desk, public, staff, tickets
    from checkin.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    limiter.init_app(app)  # before CSRF, so requests without a token count against limits too
    csrf.init_app(app)
    auth.init_login(app, login_manager)
    i18n.init_app(app)
    security.init_app(app)
    static_files.init_app(app)

    request_limits.init_app(app)
    boundary.init_app(app)  # before the blueprints: their routes use its converters
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(tickets.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(desk.api)
    errors.register(app)
    cli.register(app)
    return app
