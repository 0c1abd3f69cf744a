"""Engine settings that depend on the database kind."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from checkin.extensions import db


def configure_engine(app: Flask) -> None:
    """On SQLite turn on foreign keys, WAL and a busy timeout for every new connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    with app.app_context():
        event.listen(db.engine, "connect", on_connect)
