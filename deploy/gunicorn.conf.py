"""Gunicorn for Nordby Check-in behind nginx: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Values come from the environment (the systemd unit's EnvironmentFile) with the defaults below;
options given on the command line win over this file (the drill passes its own --bind, --workers
and --pid). Each choice says why.
"""

from __future__ import annotations

import os
import re

from gunicorn import glogging


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# nginx on the same host talks to 127.0.0.1. With nginx on another host, bind the private
# address nginx reaches (e.g. 10.0.0.5:8000) and list nginx's address in FORWARDED_ALLOW_IPS.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# gthread, not sync. A sync worker holds one request at a time: one slow staff page (a year
# dashboard, an XLSX export) or one slow client ties up a whole process, and it is killed
# after `timeout` as "WORKER TIMEOUT" (a 500 for the user). A gthread worker serves `threads`
# requests at once and keeps talking to the master from its own loop, so a slow request is
# bounded by nginx's proxy_read_timeout, not by the heartbeat. The app is mostly waiting on
# PostgreSQL, so threads overlap well despite the GIL; each thread uses at most one pooled
# database connection, so workers x threads x app servers stays far below max_connections
# (2 servers x 5 x 4 = 40 of PostgreSQL's default 100).
worker_class = "gthread"
workers = _env_int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
threads = _env_int("GUNICORN_THREADS", 4)

# For gthread, `timeout` only catches a worker whose loop is stuck (no heartbeat): 120 s,
# the same bound as nginx's proxy_read_timeout, so nothing nginx still waits for is killed.
# The longest legitimate request (the year dashboard at 50x the demo data took 30 s) fits
# with room, and should the worker class ever become sync again, no page that nginx would
# still deliver ends as a WORKER TIMEOUT.
timeout = 120
# On a reload (HUP) or stop (TERM) a worker finishes what it is serving for up to this long
# before it is killed: as long as the longest request may last, so a deploy cuts nothing off.
# The systemd unit's TimeoutStopSec is a little longer.
graceful_timeout = 120
# nginx keeps idle upstream connections open for 60 s (keepalive_timeout in its upstream
# block). Gunicorn must wait longer than that, so that nginx is always the side that closes an
# idle connection: if gunicorn closed one just as nginx reused it, a POST on it would fail
# (nginx never retries a POST on another server).
keepalive = 75

# A worker restarts after about this many requests (jitter spreads the restarts of the
# workers apart): a slow memory leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200

# X-Forwarded-Proto is believed only from these addresses (the proxy). The app's ProxyFix
# (CHECKIN_TRUSTED_PROXY_HOPS=1) handles X-Forwarded-For/-Host for the rate limits and URLs.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stderr: journald keeps them (journalctl -u nordby-checkin-web).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The real client (nginx sets X-Forwarded-For to it), request, status, bytes, milliseconds.
access_log_format = '%({x-forwarded-for}i)s - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# Secret links live in URL paths: a booking's manage link (/b/<token>), a ticket (/t/<code>)
# and a desk link (/desk/link/<token>). Whoever reads the logs must not be able to use them.
_SECRET_PATH = re.compile(r"^(/(?:b|t|desk/link)/)[^/?.]+")


def redact_path(path: str) -> str:
    """``/b/<token>/cancel`` -> ``/b/<redacted>/cancel``."""
    return _SECRET_PATH.sub(r"\1<redacted>", path)


class RedactingLogger(glogging.Logger):
    """Gunicorn's logger with the secret part of a path replaced in the access log."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(atoms["U"])
        method, _, rest = atoms["r"].partition(" ")
        atoms["r"] = f"{method} {redact_path(rest)}"
        return atoms


logger_class = RedactingLogger


def on_starting(server) -> None:
    """Refuse to start with a configuration that only works in one process: in-memory rate
    limits with several workers would give each worker its own counters (N x the limit, and
    a different answer per worker). Also builds the app once, so a configuration error (no
    secret key, an http:// base URL in production) stops the master with its message instead
    of every worker failing to boot."""
    from checkin import create_app
    from checkin.config import ConfigError

    try:
        app = create_app()
    except ConfigError as error:
        raise SystemExit(f"gunicorn: configuration error: {error}") from error
    try:
        from checkin.ratelimits import require_shared_storage
    except ImportError:  # older app without the check: nothing more to verify here
        return
    try:
        require_shared_storage(app, server.cfg.workers)
    except ConfigError as error:
        raise SystemExit(f"gunicorn: configuration error: {error}") from error
