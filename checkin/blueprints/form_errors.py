"""Showing a service's refusal (a ``DomainError``) where the person filling in a form sees it.

Views call one service inside ``with refusal_shown(form):``. If the service refuses, the work of
the request so far is rolled back, the message goes next to the field the error names (or at
the top), and the view goes on after the ``with`` block to show the form again::

    with refusal_shown(form):
        update_project(project, ...)
        flash(_("The project is saved."), "success")
        return redirect(url_for("staff.planning"), code=303)
    return render_template("staff/project_form.html", form=form), 422

Without a form (a button that posts and redirects), the message is flashed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

from flask import flash

from checkin.extensions import db
from checkin.services.errors import DomainError


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
        if isinstance(getattr(field, "errors", None), tuple | list):
            field.errors = [*field.errors, error.message]
            return
        if isinstance(general, tuple | list):
            form.general_errors = [*general, error.message]
            return
    flash(str(error.message), "error")


class refusal_shown:
    """Context manager: a ``DomainError`` inside rolls back and is shown on ``form``."""

    def __init__(
        self,
        form: Any = None,
        *,
        field_for: Mapping[str, str] | None = None,
        fallback: str | None = None,
    ) -> None:
        self.form = form
        self.field_for = field_for
        self.fallback = fallback
        self.error: DomainError | None = None

    def __enter__(self) -> refusal_shown:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if not isinstance(exc, DomainError):
            return False
        db.session.rollback()
        self.error = exc
        show_error(self.form, exc, field_for=self.field_for, fallback=self.fallback)
        return True
