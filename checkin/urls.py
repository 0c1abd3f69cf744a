"""Absolute URLs for links that leave the app: QR codes, e-mails, calendar feeds."""

from __future__ import annotations

from flask import current_app, has_request_context, request

from checkin.config import is_production


def public_base_url() -> str:
    """``PUBLIC_BASE_URL`` when configured (always in production: behind a proxy the request's
    host may be internal), else the current request's host. No trailing slash."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    raise RuntimeError("PUBLIC_BASE_URL must be set to build links outside a request")


DEV_BASE_URL = "http://127.0.0.1:5000"


def message_base_url() -> str:
    """Where links in e-mails and text messages point: ``PUBLIC_BASE_URL``. Never the
    request's host: a message outlives the request that caused it. Production cannot start
    without it (``checkin.config``); only development falls back to the development server."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if is_production(current_app):
        raise RuntimeError("PUBLIC_BASE_URL must be set in production to build links in messages")
    return DEV_BASE_URL
