"""Planning the sessions of an activity: one at a time or as a weekly series, editing,
changing capacity and cancelling (with a confirm step)."""

from __future__ import annotations

from types import EllipsisType

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.form_errors import refusal_shown
from checkin.blueprints.staff.blueprint import bp
from checkin.blueprints.staff.forms import (
    CancelSessionForm,
    CapacityForm,
    SeriesForm,
    SessionForm,
)
from checkin.extensions import db
from checkin.models import Activity, Occurrence
from checkin.services import clock
from checkin.services.planning import (
    cancel_session,
    change_capacity,
    create_session,
    create_weekly_series,
    local_moment,
    update_session,
)


@bp.get("/activities/<id:activity_id>/sessions", endpoint="activity_sessions")
@role_required("staff")
def activity_sessions(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    sessions = db.session.scalars(
        select(Occurrence)
        .where(Occurrence.activity_id == activity.id)
        .order_by(Occurrence.starts_at)
    ).all()
    return render_template(
        "staff/activity_sessions.html", activity=activity, sessions=sessions, now=clock.now()
    )


def _capacity(form) -> int | EllipsisType | None:  # ...: the activity's default
    return ... if form.capacity.data is None else form.capacity.data


def _text(field) -> str | None:
    return (field.data or "").strip() or None


@bp.route(
    "/activities/<id:activity_id>/sessions/new", methods=["GET", "POST"], endpoint="session_new"
)
@role_required("staff")
def session_new(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    form = SessionForm()
    if form.validate_on_submit():
        with refusal_shown(form, fallback="end_time"):
            create_session(
                activity,
                starts_at=local_moment(form.day.data, form.start_time.data),
                ends_at=local_moment(form.day.data, form.end_time.data),
                capacity=_capacity(form),
                place=_text(form.place),
            )
            flash(_("The session is created."), "success")
            return redirect(url_for("staff.activity_sessions", activity_id=activity.id), code=303)
    return render_template(
        "staff/session_form.html", form=form, activity=activity, session=None
    ), 422 if form.errors else 200


@bp.route("/activities/<id:activity_id>/series/new", methods=["GET", "POST"], endpoint="series_new")
@role_required("staff")
def series_new(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    form = SeriesForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            sessions = create_weekly_series(
                activity,
                weekdays=form.weekdays.data or [],
                start_time=form.start_time.data,
                end_time=form.end_time.data,
                first_date=form.first_date.data,
                last_date=form.last_date.data,
                skip_dates=form.skipped,
                capacity=_capacity(form),
                place=_text(form.place),
                at=clock.now(),
                by=current_user,
            )
            flash(
                ngettext(
                    "%(num)d session is created.", "%(num)d sessions are created.", len(sessions)
                ),
                "success",
            )
            return redirect(url_for("staff.activity_sessions", activity_id=activity.id), code=303)
    return render_template(
        "staff/series_form.html", form=form, activity=activity
    ), 422 if form.errors else 200


@bp.route("/sessions/<id:session_id>/edit", methods=["GET", "POST"], endpoint="session_edit")
@role_required("staff")
def session_edit(session_id: int):
    session = db.get_or_404(Occurrence, session_id)
    form = SessionForm(obj=session)
    capacity_form = CapacityForm(capacity=session.capacity, formdata=None)
    del form.capacity  # capacity changes through its own form and rule
    local_start, local_end = clock.local(session.starts_at), clock.local(session.ends_at)
    if not form.is_submitted():
        form.day.data, form.start_time.data = local_start.date(), local_start.time()
        form.end_time.data = local_end.time()
    if form.validate_on_submit():
        with refusal_shown(form, fallback="end_time"):
            update_session(
                session,
                starts_at=local_moment(form.day.data, form.start_time.data),
                ends_at=local_moment(form.day.data, form.end_time.data),
                place=_text(form.place),
                note=_text(form.note),
                at=clock.now(),
                by=current_user,
            )
            flash(_("The session is saved."), "success")
            return redirect(url_for("staff.session_edit", session_id=session.id), code=303)
    return _render_edit(session, form, capacity_form, status=422 if form.errors else 200)


def _render_edit(session: Occurrence, form, capacity_form, *, status: int):
    return render_template(
        "staff/session_form.html",
        form=form,
        capacity_form=capacity_form,
        activity=session.activity,
        session=session,
    ), status


@bp.post("/sessions/<id:session_id>/capacity", endpoint="session_capacity")
@role_required("staff")
def session_capacity(session_id: int):
    session = db.get_or_404(Occurrence, session_id)
    capacity_form = CapacityForm()
    if capacity_form.validate_on_submit():
        with refusal_shown(capacity_form, fallback="capacity"):
            promoted = change_capacity(
                session, capacity_form.capacity.data, at=clock.now(), by=current_user
            )
            flash(_("The capacity is changed."), "success")
            if promoted:
                flash(
                    ngettext(
                        "%(num)d household got a seat from the waiting list.",
                        "%(num)d households got a seat from the waiting list.",
                        len(promoted),
                    ),
                    "success",
                )
            return redirect(url_for("staff.session_edit", session_id=session.id), code=303)
    form = SessionForm(obj=session, formdata=None)
    del form.capacity
    return _render_edit(session, form, capacity_form, status=422)


@bp.route("/sessions/<id:session_id>/cancel", methods=["GET", "POST"], endpoint="session_cancel")
@role_required("staff")
def session_cancel(session_id: int):
    session = db.get_or_404(Occurrence, session_id)
    form = CancelSessionForm()
    if form.validate_on_submit():
        with refusal_shown(form, fallback="reason"):
            told = cancel_session(session, reason=form.reason.data, at=clock.now(), by=current_user)
            flash(
                ngettext(
                    "The session is cancelled. %(num)d household will be told.",
                    "The session is cancelled. %(num)d households will be told.",
                    told,
                ),
                "success",
            )
            return redirect(
                url_for("staff.activity_sessions", activity_id=session.activity_id), code=303
            )
    return render_template(
        "staff/session_cancel.html", form=form, session=session
    ), 422 if form.errors else 200
