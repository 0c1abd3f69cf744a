"""Showing a refusal where the person filling in a form sees it: one helper for every form.

Views call one service inside ``with refusal_shown(form):``. If the service refuses (a
``DomainError``), or the posted fields do not parse with their contract (a pydantic
``ValidationError``), the work of the request so far is rolled back, the message goes next to
the field it is about (or at the top), and the view goes on after the ``with`` block to show
the form again with ``refusal.status``::

    with refusal_shown(form) as refusal:
        update_project(project, ...)
        flash(_("The project is saved."), "success")
        return redirect(url_for("staff.planning"), code=303)
    return render_template("staff/project_form.html", form=form), refusal.status

Without a WTForms form (the desk's plain forms, a button that posts and redirects), the
message is flashed, or only kept in ``refusal.message`` with ``inline=True``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError

from checkin.errors import refusal_status
from checkin.extensions import db
from checkin.services.errors import DomainError

NOT_VALID = _l("Something was wrong with the request")


def show_error(
    form: Any,
    error: DomainError,
    *,
    field_for: Mapping[str, str] | None = None,
    fallback: str | None = None,
) -> None:
    """Put ``error``'s message on its field: the one ``field_for`` maps its code to, else the
    one the service named, else ``fallback``. A form may declare ``<field>_errors`` for a field
    whose own errors belong to its rows (a list of people), and ``general_errors`` to show
    messages without a field itself; elsewhere such a message is flashed."""
    name = (field_for or {}).get(error.code, error.field) or fallback
    if form is not None:
        rows = getattr(form, f"{name}_errors", None) if name else None
        field = getattr(form, name, None) if name else None
        general = getattr(form, "general_errors", None)
        if isinstance(rows, tuple | list):
            setattr(form, f"{name}_errors", [*rows, error.message])
            return
        if field is not None and isinstance(getattr(field, "errors", None), tuple | list):
            field.errors = [*field.errors, error.message]
            return
        if isinstance(general, tuple | list):
            form.general_errors = [*general, error.message]
            return
    flash(str(error.message), "error")


class refusal_shown:
    """Context manager: a refusal inside rolls back and is shown; ``status`` becomes 422 (or
    the code's own status, see ``errors.REFUSAL_STATUS``) for a rule's refusal and 400 for
    fields that do not parse. ``messages`` words a field's parse error for people;
    ``category_for`` gives a code its own flash style (a gentle "info" rather than "error")."""

    def __init__(
        self,
        form: Any = None,
        *,
        field_for: Mapping[str, str] | None = None,
        fallback: str | None = None,
        inline: bool = False,
        messages: Mapping[str, Any] | None = None,
        category_for: Mapping[str, str] | None = None,
    ) -> None:
        self.form = form
        self.field_for = field_for
        self.fallback = fallback
        self.inline = inline
        self.messages = messages or {}
        self.category_for = category_for or {}
        self.error: DomainError | None = None
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
        if isinstance(exc, ValidationError):
            self.code, self.status = "invalid_request", 400
            self.message = str(self._parse_message(exc))
        elif isinstance(exc, DomainError):
            self.error, self.code, self.status = exc, exc.code, refusal_status(exc.code)
            self.message = str(exc.message)
        else:
            return False
        db.session.rollback()
        if self.form is not None and self.error is not None:
            show_error(self.form, self.error, field_for=self.field_for, fallback=self.fallback)
        elif not self.inline:
            flash(self.message, self.category_for.get(self.code, "error"))
        return True

    def _parse_message(self, exc: ValidationError) -> Any:
        """The first wording ``messages`` has for a field that did not parse, else a general one."""
        fields = [str(problem["loc"][0]) for problem in exc.errors() if problem["loc"]]
        return next((self.messages[name] for name in fields if name in self.messages), NOT_VALID)
