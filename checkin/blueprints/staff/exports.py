"""Exports: the choices page, the streamed evaluation downloads, and per-session lists.

Pseudonymous by default; names only for admins who tick the box. The service writes the audit
entry, which is committed before the file starts streaming.
"""

from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context
from flask_login import current_user

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.staff.blueprint import bp
from checkin.blueprints.staff.stats_forms import ExportForm
from checkin.extensions import db
from checkin.models import Occurrence
from checkin.services import clock
from checkin.services.clock import local
from checkin.services.exports import (
    ExportFile,
    export_session_list,
    export_statistics,
    may_export_names,
)


def _download(export: ExportFile) -> Response:
    # The request boundary commits the audit entry before the body streams, so it stands even
    # if the download is interrupted.
    response = Response(stream_with_context(export.chunks), content_type=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response  # never cached: checkin.security


def _page(form: ExportForm, status: int = 200):
    return (
        render_template(
            "staff/exports.html", form=form, may_export_names=may_export_names(current_user)
        ),
        status,
    )


@bp.route("/exports", endpoint="exports")
@role_required("staff")
def exports_page():
    # Prefilled from the dashboard's filter when linked from there, else this year so far.
    form = ExportForm(formdata=request.args or None, today=local(clock.now()).date())
    if not request.args:
        form.show_default()
    return _page(form)


@bp.route("/exports/download", methods=["POST"], endpoint="export_download")
@role_required("staff")
def export_download():
    now = clock.now()
    form = ExportForm(today=local(now).date())
    if not form.validate():
        return _page(form, 400)
    include_names = bool(form.include_names.data)
    if include_names and not may_export_names(current_user):
        abort(403)
    export = export_statistics(
        form.kind.data,
        fmt=form.fmt.data,
        stats_filter=form.chosen_filter(),
        by=current_user,
        at=now,
        include_names=include_names,
    )
    return _download(export)


@bp.route("/sessions/<id:session_id>/export.<fmt>", methods=["POST"], endpoint="session_export")
@role_required("staff")
def session_export(session_id: int, fmt: str):
    """A POST with CSRF like every other export: a download writes to the audit log."""
    session = db.session.get(Occurrence, session_id)
    if session is None or fmt not in ("csv", "xlsx"):
        abort(404)
    include_names = request.form.get("names") == "1"
    if include_names and not may_export_names(current_user):
        abort(403)
    export = export_session_list(
        session, fmt=fmt, by=current_user, at=clock.now(), include_names=include_names
    )
    return _download(export)
