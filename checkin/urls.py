"""Absolute URLs for links that leave the app: QR codes, e-mails, calendar feeds."""

from __future__ import annotations

from flask import current_app, has_request_context, request


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
    """Where links in e-mails and text messages point: ``PUBLIC_BASE_URL``, or the development
    server. Never the request's host: a message outlives the request that caused it."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if not configured and not (current_app.debug or current_app.testing):
        current_app.logger.warning(
            "PUBLIC_BASE_URL is not set: links in messages use %s", DEV_BASE_URL
        )
    return (configured or DEV_BASE_URL).rstrip("/")
