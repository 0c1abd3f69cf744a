"""``flask check``: one line per check, every problem at once, exit status 1 on any FAIL, also
when the app itself refuses to start."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from flask.testing import FlaskCliRunner

from checkin import ROOT, create_app
from checkin.checks import check_command
from checkin.extensions import db
from tests.notify_servers import free_port, smtp_server

SECRET = "k" * 64


def run_check(tmp_path, database_url: str, **config) -> tuple[int, list[str]]:
    """``flask check`` on a production app with ``config`` (built as the command builds it)."""
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": SECRET,
            **config,
        },
        check_only=True,
    )
    result = FlaskCliRunner(app).invoke(check_command)
    with app.app_context():
        db.engine.dispose()
    return result.exit_code, result.output.splitlines()


def level_of(lines: list[str], topic: str) -> list[str]:
    return [line.split()[0] for line in lines if line[6:].startswith(topic)]


@pytest.fixture
def migrated_sqlite(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "i"), "SQLALCHEMY_DATABASE_URI": url}
    )
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        db.engine.dispose()
    return url


def test_an_incomplete_production_configuration_fails_with_every_problem(tmp_path):
    exit_code, lines = run_check(
        tmp_path,
        f"sqlite:///{tmp_path / 'empty.sqlite'}",
        NOTIFY_BACKEND_EMAIL="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=free_port(),  # nothing listens
    )
    assert exit_code == 1
    assert lines[0].startswith("Checking this configuration for production")
    assert level_of(lines, "PUBLIC_BASE_URL") == ["FAIL"]
    assert level_of(lines, "SECRET_KEY") == ["ok"]
    assert level_of(lines, "migrations") == ["FAIL"]
    assert level_of(lines, "e-mail") == ["FAIL", "WARN"]  # no answer; the default sender
    assert level_of(lines, "rate limits") == ["WARN"]  # memory:// is right for one process
    assert level_of(lines, "proxy") == ["WARN"]
    assert any("CHECKIN_PUBLIC_BASE_URL" in line for line in lines)
    assert lines[-1].startswith("3 FAIL")


def test_a_complete_production_configuration_passes(tmp_path, migrated_sqlite):
    with smtp_server() as inbox:
        exit_code, lines = run_check(
            tmp_path,
            migrated_sqlite,
            PUBLIC_BASE_URL="https://checkin.example.dk",
            TRUSTED_PROXY_HOPS=1,
            NOTIFY_BACKEND_EMAIL="smtp",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=inbox.port,
            MAIL_FROM="Bysekretariatet <checkin@example.dk>",
            NOTIFY_BACKEND_SMS="http",
            SMS_GATEWAY_URL="https://gateway.example/v1/sms",
            SMS_GATEWAY_TOKEN="token",
        )
        assert inbox.messages == []  # checked, nothing sent
    assert exit_code == 0, lines
    assert [line for line in lines if line.startswith("FAIL")] == []
    assert level_of(lines, "migrations") == ["ok"]
    assert level_of(lines, "e-mail") == ["ok"]
    assert level_of(lines, "SMS") == ["ok"]


def test_unreachable_database_and_redis_fail(tmp_path):
    exit_code, lines = run_check(
        tmp_path,
        f"sqlite:///{tmp_path / 'missing' / 'x.sqlite'}",
        PUBLIC_BASE_URL="https://checkin.example.dk",
        RATELIMIT_STORAGE_URI=f"redis://:secret@127.0.0.1:{free_port()}/0",
    )
    assert exit_code == 1
    assert level_of(lines, "database") == ["FAIL"]
    assert level_of(lines, "rate limits") == ["FAIL"]
    assert not any("secret" in line for line in lines)  # passwords are not printed


def test_the_command_reports_when_the_app_refuses_to_start(tmp_path):
    """`flask --app wsgi check` as an operator runs it: wsgi.py's create_app() would raise, yet
    every problem is listed."""
    env = {
        **os.environ,
        "CHECKIN_ENVIRONMENT": "production",
        "CHECKIN_SECRET_KEY": "",  # over whatever instance/config.py says
        "CHECKIN_PUBLIC_BASE_URL": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    started = subprocess.run(
        [*flask, "routes"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode != 0 and "Refusing to start" in started.stderr
    checked = subprocess.run(
        [*flask, "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 1, checked.stderr
    lines = checked.stdout.splitlines()
    assert level_of(lines, "SECRET_KEY") == ["FAIL"]
    assert level_of(lines, "PUBLIC_BASE_URL") == ["FAIL"]
    assert "Traceback" not in checked.stdout + checked.stderr


def test_development_is_not_held_to_production(tmp_path, migrated_sqlite):
    exit_code, lines = run_check(tmp_path, migrated_sqlite, ENVIRONMENT="development")
    assert exit_code == 0, lines
    assert "for development or tests" in lines[0]
