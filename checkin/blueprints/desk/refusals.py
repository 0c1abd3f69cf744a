"""Showing a refusal on the desk's plain forms, where the volunteer sees it.

A local stand-in for ``checkin.blueprints.form_errors`` (not on this branch yet), which also
covers a form whose fields do not parse with their contract. The desk pages have no WTForms
fields to put a message on, so the message is flashed, or kept for the page to show::

    with refusal_shown() as refusal:
        body = ScanRequest.model_validate(posted())
        return render(result=scan_ticket(...))
    return render(), refusal.status
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError

from checkin.blueprints.desk.invalid import invalid_fields
from checkin.extensions import db
from checkin.services.errors import DomainError

NOT_VALID = _l("Something was wrong with the request")


class refusal_shown:
    """Context manager: a ``DomainError`` (422) or a ``ValidationError`` (400) inside rolls
    back the request's work so far and leaves ``code``, ``message`` and ``status``; the message
    is flashed unless ``inline``. ``messages`` words a field's parse error for people;
    ``status_for`` and ``category_for`` give a refusal code its own status or flash style."""

    def __init__(
        self,
        *,
        inline: bool = False,
        messages: Mapping[str, Any] | None = None,
        status_for: Mapping[str, int] | None = None,
        category_for: Mapping[str, str] | None = None,
    ) -> None:
        self.inline = inline
        self.messages = messages or {}
        self.status_for = status_for or {}
        self.category_for = category_for or {}
        self.code: str | None = None
        self.message: str | None = None
        self.status = 200

    def __enter__(self) -> refusal_shown:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if isinstance(exc, DomainError):
            self.code, message = exc.code, exc.message
            self.status = self.status_for.get(exc.code, 422)
        elif isinstance(exc, ValidationError):
            fields = invalid_fields(exc)
            self.code, self.status = "invalid_request", 400
            message = next((self.messages[f] for f in fields if f in self.messages), NOT_VALID)
        else:
            return False
        db.session.rollback()
        self.message = str(message)
        if not self.inline:
            flash(self.message, self.category_for.get(self.code, "error"))
        return True
