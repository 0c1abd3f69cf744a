"""What the database holds, asked directly (psycopg), never through the app under test."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import psycopg


def connect(database: str | None = None, **kwargs: Any) -> psycopg.Connection:
    """A connection to the drill's database (or another on the same server) as the admin."""
    admin = os.environ["DRILL_PG_ADMIN"]  # e.g. postgresql://postgres@127.0.0.1:5432
    return psycopg.connect(
        f"{admin}/{database or os.environ['DRILL_DB']}",
        application_name="checkin-drill-observer",
        **kwargs,
    )


def scalar(database: str | None, sql: str, params: Iterable[Any] = ()) -> Any:
    with connect(database) as conn:
        row = conn.execute(sql, tuple(params)).fetchone()
    return row[0] if row else None


def rows(database: str | None, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    with connect(database) as conn:
        return list(conn.execute(sql, tuple(params)).fetchall())


def confirmed_tokens(database: str | None, session_id: int) -> set[str]:
    """Manage tokens of the bookings holding a confirmed seat at ``session_id``."""
    return {
        token
        for (token,) in rows(
            database,
            "SELECT b.manage_token FROM booking b JOIN booking_session s ON s.booking_id = b.id"
            " WHERE s.session_id = %s AND s.status = 'confirmed'",
            (session_id,),
        )
    }


def check_ins_by_code(database: str | None, session_id: int) -> dict[str, list[str]]:
    """Ticket code -> client ids of its active check-ins at ``session_id``."""
    found: dict[str, list[str]] = {}
    for code, client_id in rows(
        database,
        "SELECT a.ticket_code, c.client_id FROM check_in c JOIN attendee a ON a.id = c.attendee_id"
        " WHERE c.session_id = %s AND c.undone_at IS NULL",
        (session_id,),
    ):
        found.setdefault(code, []).append(client_id)
    return found


def terminate_app_connections(prefix: str = "checkin-web-") -> int:
    """pg_terminate_backend on every connection the app servers hold; returns how many."""
    with connect("postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND application_name LIKE %s",
            (os.environ["DRILL_DB"], prefix + "%"),
        ).fetchone()
    return int(row[0]) if row else 0
