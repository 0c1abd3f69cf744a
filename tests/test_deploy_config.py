"""deploy/: gunicorn and nginx agree with each other and with the app (the drill runs them;
these catch a drifting number before it costs a drill run)."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

from checkin import ROOT

DEPLOY = ROOT / "deploy"
NGINX = (DEPLOY / "nginx" / "checkin.conf").read_text()


def gunicorn_settings() -> Config:
    config = Config()
    for key, value in runpy.run_path(str(DEPLOY / "gunicorn.conf.py")).items():
        if key in config.settings:
            config.set(key, value)
    return config


def nginx_seconds(directive: str) -> int:
    match = re.search(rf"^\s*{directive}\s+(\d+)s;", NGINX, re.MULTILINE)
    assert match, f"{directive} not in nginx/checkin.conf"
    return int(match.group(1))


def test_gunicorn_uses_threads_and_waits_as_long_as_nginx():
    config = gunicorn_settings()
    assert config.worker_class_str == "gthread" and config.threads >= 2
    # A request nginx still waits for is never cut off by gunicorn, nor by a reload.
    assert config.timeout == config.graceful_timeout == nginx_seconds("proxy_read_timeout")
    # nginx closes idle upstream connections before gunicorn does (no POST on a dying one).
    assert config.keepalive > nginx_seconds("keepalive_timeout")
    assert config.max_requests > 0 and 0 < config.max_requests_jitter < config.max_requests


def test_systemd_waits_for_a_graceful_stop():
    unit = (DEPLOY / "systemd" / "nordby-checkin-web@.service").read_text()
    stop = int(re.search(r"^TimeoutStopSec=(\d+)$", unit, re.MULTILINE).group(1))
    assert stop > gunicorn_settings().graceful_timeout


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/b/AbC_-12x", "/b/<redacted>"),
        ("/b/AbC_-12x/cancel/7", "/b/<redacted>/cancel/7"),
        ("/t/Q9zz.png", "/t/<redacted>.png"),
        ("/desk/link/tok3n", "/desk/link/<redacted>"),
        ("/activities/lektiecafe", "/activities/lektiecafe"),
        ("/staff/bookings/12", "/staff/bookings/12"),
    ],
)
def test_access_log_hides_secret_links(path, logged):
    redact_path = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["redact_path"]
    assert redact_path(path) == logged


def test_nginx_passes_the_real_client_and_never_retries_a_post():
    for header, value in [
        ("X-Forwarded-For", "$remote_addr"),
        ("X-Forwarded-Proto", "$scheme"),
        ("X-Forwarded-Host", "$host"),
        ("X-Forwarded-Port", "$server_port"),
        ("X-Forwarded-Prefix", '""'),
    ]:
        assert re.search(rf"proxy_set_header {header} {re.escape(value)};", NGINX), header
    assert "$proxy_add_x_forwarded_for" not in NGINX
    retry = re.search(r"^\s*proxy_next_upstream (.+);", NGINX, re.MULTILINE)
    assert retry and "non_idempotent" not in retry.group(1)


def test_nginx_body_limit_is_the_apps():
    from checkin.config import DEFAULTS

    limit = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert limit and int(limit.group(1)) * 1024 * 1024 >= DEFAULTS.get("MAX_CONTENT_LENGTH", 0)


def test_scripts_are_executable():
    for script in ("drill.sh", "backup.sh", "flask.sh"):
        assert Path(DEPLOY / script).stat().st_mode & 0o111, script
