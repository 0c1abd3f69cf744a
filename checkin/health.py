"""``GET /healthz`` for the proxy and monitoring: 200 when the app answers and its database
does, 503 when the database does not. No login, no rate limit, no cookie, one ``SELECT 1``."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from checkin.extensions import db, limiter


def healthz() -> tuple[Response, int]:
    try:
        # A connection of its own, not the request's session: nothing to commit or roll back.
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        current_app.logger.warning("Health check: the database does not answer: %s", error)
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200


def init_app(app: Flask) -> None:
    view = limiter.exempt(healthz)
    app.add_url_rule("/healthz", endpoint="healthz", view_func=view, methods=["GET"])
