"""/healthz for the proxy and monitoring, and database connections that survive the server
dropping them."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from checkin import create_app
from checkin.extensions import db
from tests.conftest import POSTGRES_URL, RequestClient, make_app


def test_healthz_answers_without_cookies_or_login(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_healthz_is_never_rate_limited(client, app_config):
    assert {client.get("/healthz").status_code for _ in range(30)} == {200}
    assert "X-RateLimit-Limit" not in client.get("/healthz").headers


def test_healthz_says_unavailable_when_the_database_does_not_answer(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            # A folder that does not exist: SQLite cannot open the file.
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'x.sqlite'}",
        }
    )
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.get_json()) == (503, {"status": "unavailable"})


@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")
@pytest.mark.parametrize("backend", ["postgresql"])
def test_connections_killed_by_the_server_cost_no_request(database, tmp_path):
    url, options = database
    name = "checkin-test-" + secrets.token_hex(4)  # finds this app's connections, and no other
    connect_args = {**options.get("connect_args", {}), "application_name": name}
    app = make_app(url, {**options, "connect_args": connect_args}, tmp_path)
    with app.app_context():
        db.create_all()
        db.session.remove()
    app.test_client_class = RequestClient
    client = app.test_client()
    assert client.get("/").status_code == 200  # the pool now holds a connection

    admin = sa.create_engine(POSTGRES_URL)
    with admin.connect() as connection:
        killed = connection.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        ).all()
    admin.dispose()
    assert killed, "the app's pooled connection was found and terminated"

    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200
    with app.app_context():
        db.engine.dispose()
