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
