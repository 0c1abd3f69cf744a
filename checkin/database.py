"""Engine settings that depend on the database kind, and the row count of a guarded update."""

from __future__ import annotations

from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, event
from sqlalchemy.sql.dml import UpdateBase

from checkin.extensions import db


def configure_engine(app: Flask) -> None:
    """On SQLite turn on foreign keys, WAL and a busy timeout for every new connection, and keep
    savepoints inside the transaction."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    def on_connect(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    def begin_before_savepoint(connection, _name) -> None:
        # pysqlite opens a transaction only before a write, so a SAVEPOINT as the first write
        # would start one of its own, and releasing it would commit. Open the real transaction
        # first, as pysqlite would before that write.
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN")

    with app.app_context():
        event.listen(db.engine, "connect", on_connect)
        event.listen(db.engine, "savepoint", begin_before_savepoint)


def rows_changed(statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE in the request's session and return how many rows it changed.
    Guarded updates (seats taken, waiting places claimed) decide by this count."""
    result = db.session.execute(statement)
    # Session.execute() is typed to return a plain Result; a DML statement's is a CursorResult.
    return cast("CursorResult[Any]", result).rowcount
