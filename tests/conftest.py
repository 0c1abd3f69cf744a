"""A fresh app and database per test, on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL.

Every test that uses ``app`` runs once per database backend. On PostgreSQL each test gets its own
schema, dropped afterwards, so tests can run in parallel against one database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2.profiles import CHEAPEST
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from checkin import ROOT, create_app
from checkin.extensions import db
from checkin.services import clock

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def database_line() -> str:
    """Which databases the tests run on; the same words as scripts/test-database.py."""
    if POSTGRES_URL:
        url = sa.engine.make_url(POSTGRES_URL)
        return f"tests: PostgreSQL at {url.host}:{url.port or 5432}/{url.database} and SQLite"
    return "tests: SQLite only (TEST_DATABASE_URL is not set)"


def pytest_report_header(config: pytest.Config) -> str:
    return database_line()


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CHECKIN_REQUIRE_POSTGRES") == "1" and not POSTGRES_URL:
        raise pytest.UsageError("CHECKIN_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
    if not hasattr(config, "workerinput"):  # once, in the controller, before xdist workers
        compile_catalogs()


def compile_catalogs() -> None:
    """Tests always see the committed .po files, not a stale compiled catalog."""
    for po_path in (ROOT / "checkin" / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as source:
            catalog = read_po(source)
        with po_path.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _postgres_schema_url() -> Iterator[tuple[str, dict]]:
    """A throwaway schema on the test PostgreSQL server; yields (url, engine options)."""
    schema = "t_" + secrets.token_hex(6)
    admin = sa.create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        admin.dispose()
        pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {error}")
    try:
        yield POSTGRES_URL, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database(backend: str, tmp_path) -> Iterator[tuple[str, dict]]:
    """(SQLAlchemy URL, engine options) of an empty database for one test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}", {}
    else:
        yield from _postgres_schema_url()


def make_app(url: str, engine_options: dict, tmp_path, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "RATELIMIT_ENABLED": False,
        "ARGON2_PARAMETERS": CHEAPEST,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_config() -> dict:
    """Override in a module to change the app's configuration for its tests."""
    return {}


@pytest.fixture
def app(database, tmp_path, app_config) -> Iterator[Flask]:
    """An app on an empty database with the full schema, inside an app context."""
    url, engine_options = database
    app = make_app(url, engine_options, tmp_path, **app_config)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


class RequestClient(FlaskClient):
    """Runs every request in its own app context, as a server does. Without this, requests
    would share the test's app context, and with it ``g`` (cached locale, logged-in user) and
    the database session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = RequestClient
    return app.test_client()


class FrozenClock:
    """Controls ``checkin.services.clock.now()`` for one test."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        clock.freeze(at)

    def set(self, at: datetime) -> None:
        self.at = at
        clock.freeze(at)

    def advance(self, **delta: float) -> datetime:
        self.set(self.at + timedelta(**delta))
        return self.at


# A Tuesday afternoon in Copenhagen, winter time.
FROZEN_AT = datetime.fromisoformat("2026-11-24T13:00:00+00:00")


@pytest.fixture
def frozen_clock() -> Iterator[FrozenClock]:
    yield FrozenClock(FROZEN_AT)
    clock.freeze(None)


@pytest.fixture(autouse=True)
def _unfreeze_clock() -> Iterator[None]:
    yield
    clock.freeze(None)
