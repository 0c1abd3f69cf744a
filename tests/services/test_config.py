"""Configuration layers and database settings."""

import pytest
import sqlalchemy as sa

from checkin import create_app
from checkin.config import ConfigError, normalise_database_url
from checkin.extensions import db


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        'SECRET_KEY = "from-file"\nBOOKING_MAX_ATTENDEES = 5\nENVIRONMENT = "development"\n'
    )
    monkeypatch.setenv("CHECKIN_BOOKING_MAX_ATTENDEES", "6")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "from-file"
    assert app.config["BOOKING_MAX_ATTENDEES"] == 6


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "ENVIRONMENT": "development"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'checkin.sqlite'}"


def test_database_url_selects_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/checkin")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "ENVIRONMENT": "development"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/checkin"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(app):
    from checkin.models import Department

    db.session.add(Department(area_id=999_999, name="Nowhere"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


PRODUCTION = {"SECRET_KEY": "k" * 64, "PUBLIC_BASE_URL": "https://checkin.example.dk"}


@pytest.fixture
def clean_environment(monkeypatch):
    for key in ("CHECKIN_SECRET_KEY", "CHECKIN_PUBLIC_BASE_URL", "CHECKIN_ENVIRONMENT"):
        monkeypatch.delenv(key, raising=False)


def test_production_refuses_to_start_naming_every_missing_setting(tmp_path, clean_environment):
    with pytest.raises(ConfigError) as refused:
        create_app({"INSTANCE_PATH": str(tmp_path)})
    message = str(refused.value)
    assert "CHECKIN_SECRET_KEY" in message and "CHECKIN_PUBLIC_BASE_URL" in message


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("PUBLIC_BASE_URL", "http://checkin.example.dk"),
        ("SECRET_KEY", "dev-only-not-secret"),
        ("TRUSTED_PROXY_HOPS", "1"),
    ],
)
def test_production_refuses_unsafe_values(tmp_path, clean_environment, setting, value):
    with pytest.raises(ConfigError, match=f"CHECKIN_{setting}"):
        create_app({"INSTANCE_PATH": str(tmp_path), **PRODUCTION, setting: value})


def test_development_starts_without_them_and_links_to_the_dev_server(tmp_path, clean_environment):
    from checkin.urls import message_base_url

    app = create_app({"INSTANCE_PATH": str(tmp_path), "ENVIRONMENT": "development"})
    with app.app_context():
        assert message_base_url() == "http://127.0.0.1:5000"
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_messages_never_link_to_the_dev_server_in_production(tmp_path, clean_environment):
    from checkin.urls import message_base_url

    app = create_app({"INSTANCE_PATH": str(tmp_path)}, check_only=True)  # as `flask check`
    with app.app_context(), pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        message_base_url()


def test_production_cookies_default_to_secure(tmp_path, clean_environment):
    app = create_app({"INSTANCE_PATH": str(tmp_path), **PRODUCTION})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    # An installation that says otherwise is obeyed (flask check warns).
    app = create_app({"INSTANCE_PATH": str(tmp_path), **PRODUCTION, "SESSION_COOKIE_SECURE": False})
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_postgresql_connections_are_tested_before_use(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/checkin")
    options = {"connect_args": {"options": "-csearch_path=x"}}
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "ENVIRONMENT": "development",
            "SQLALCHEMY_ENGINE_OPTIONS": options,
        }
    )
    engine_options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert engine_options["pool_pre_ping"] is True
    assert engine_options["connect_args"] == {"connect_timeout": 10, "options": "-csearch_path=x"}
    assert options == {"connect_args": {"options": "-csearch_path=x"}}  # not changed in place
