"""Friendly, translated error pages; JSON errors under /api/. Never a stack trace.

A ``DomainError`` that leaves a view is a refusal, not a fault: under /api/ it becomes
``422 {"error": {"code", "message", "field"}}``; on a page, the error page with its message.
Forms that can show the refusal next to a field catch it first (``blueprints.form_errors``)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from checkin.extensions import db
from checkin.services.errors import DomainError

MESSAGES = {
    400: (_l("Something was wrong with the request"), _l("Please go back and try again.")),
    403: (
        _l("You do not have access"),
        _l("Your account may not see this page. Ask a member of staff if you need access."),
    ),
    404: (
        _l("Page not found"),
        _l(
            "The page does not exist, or the link is old. Check the address or go to the front page."  # noqa: E501
        ),
    ),
    405: (_l("That is not possible here"), _l("Please go back and try again.")),
    413: (
        _l("What you sent is too large"),
        _l("Shorten the long texts and send the form again."),
    ),
    429: (
        _l("Too many attempts"),
        _l("You have tried many times in a short while. Wait a minute and try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing you did caused this. Please try again in a moment."),
    ),
}
CSRF_MESSAGE = (
    _l("The form had expired"),
    _l("For your safety the form must be sent again. Go back, reload the page and send it again."),
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _respond(status: int, code: str, title, text, **extra):
    if _wants_json():
        return jsonify(error={"code": code, "message": str(title), **extra}), status
    return render_template("errors/error.html", status=status, title=title, text=text), status


# Refusals that are not a plain 422: a wrong desk link or PIN is a refused login; a desk writing
# outside its scope (another activity, another time) is not allowed; a desk link locked after
# too many wrong PINs stays locked (423) until staff unlock it, so waiting (429) would not help;
# a kiosk tapped too fast is asked to slow down.
REFUSAL_STATUS = {
    "invalid_link": 403,
    "wrong_pin": 403,
    "wrong_password": 403,
    "link_locked": 423,
    "not_assigned": 403,
    "outside_desk_window": 403,
    "too_fast": 429,
}


def refusal_status(code: str) -> int:
    """The HTTP status of a rule's refusal with this code."""
    return REFUSAL_STATUS.get(code, 422)


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        status = refusal_status(error.code)
        if _wants_json():
            body = {"code": error.code, "message": str(error.message), "field": error.field}
            return jsonify(error=body), status
        title = MESSAGES[400][0]
        return render_template(
            "errors/error.html", status=status, title=title, text=error.message
        ), status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _respond(400, "csrf_failed", *CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:
            # Brought its own page: a rate-limited form shown again with what was typed.
            return error.response
        status = error.code or 500
        title, text = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
        # An exception may name its code and invalid fields (request_limits.JSONTooDeep).
        code = getattr(error, "error_code", None) or (error.name or "error").lower().replace(
            " ", "_"
        )
        fields = getattr(error, "fields", None)
        response = _respond(status, code, title, text, **({"fields": fields} if fields else {}))
        if hasattr(error, "get_headers"):
            # Keep the error's own headers: Allow on a 405 (HTTP requires it), Retry-After and
            # the rate-limit headers Flask-Limiter attached to a 429.
            body, status = response
            resp = app.make_response((body, status))
            for name, value in error.get_headers():
                if name.lower() != "content-type":
                    resp.headers[name] = value
            return resp
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        return http_error(InternalServerError())
