"""Runs a test command with the local PostgreSQL when one answers, and says which databases
the tests use: `python scripts/test-database.py pytest -n auto` (the Makefile's `test` target).

- TEST_DATABASE_URL set (CI's .ci/run does): used as it is. Set but empty: SQLite only.
- Unset: when PostgreSQL answers on 127.0.0.1:5432 (trust auth, user postgres), the database
  checkin_test is created if missing and TEST_DATABASE_URL points at it; otherwise the tests
  run on SQLite only, and this says so.

Every database test then runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL too
(tests/conftest.py), so the races that only PostgreSQL can show are tried on every `make test`.
"""

from __future__ import annotations

import os
import sys

HOST, PORT, DATABASE, USER = "127.0.0.1", 5432, "checkin_test", "postgres"
URL = f"postgresql+psycopg://{USER}@{HOST}:{PORT}/{DATABASE}"


def local_postgres() -> tuple[str | None, str]:
    """(TEST_DATABASE_URL to use or None, why not)."""
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed"
    try:
        conn = psycopg.connect(
            host=HOST, port=PORT, user=USER, dbname="postgres", connect_timeout=3, autocommit=True
        )
    except psycopg.OperationalError:
        return None, f"no PostgreSQL answered on {HOST}:{PORT}"
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists is None:
            try:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
            except psycopg.errors.DuplicateDatabase:
                pass  # created meanwhile by another run
            except psycopg.Error as error:
                return None, f"PostgreSQL on {HOST}:{PORT} answered, but {DATABASE}: {error}"
    return URL, ""


def main(command: list[str]) -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url is None:
        url, why_not = local_postgres()
        if url:
            os.environ["TEST_DATABASE_URL"] = url
    else:
        why_not = "TEST_DATABASE_URL is set empty"
    if url:
        where = url.split("@", 1)[-1]  # never print a password
        print(f"tests: PostgreSQL at {where} and SQLite", flush=True)
    else:
        print(f"tests: SQLite only ({why_not})", flush=True)
    if command:
        os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
