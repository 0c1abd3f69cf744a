"""Users (admin only): accounts, roles, deactivation, passwords and volunteer assignments.
Volunteer hours per session may be entered by staff."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.form_errors import refusal_shown
from checkin.blueprints.staff.blueprint import bp
from checkin.blueprints.staff.forms import (
    ROLE_LABELS,
    AssignForm,
    ConfirmForm,
    DeskScopeForm,
    HoursForm,
    PasswordForm,
    UserForm,
)
from checkin.boundary import get_by_raw_id
from checkin.extensions import db
from checkin.models import Activity, Occurrence, User
from checkin.services import clock
from checkin.services.accounts import (
    assign_volunteer,
    assigned_activities,
    create_user,
    list_users,
    record_volunteer_hours,
    reset_password,
    session_shifts,
    set_desk_assigned_only,
    set_user_active,
    unassign_volunteer,
    update_user,
)
from checkin.services.planning import active_activities


def _actor() -> dict:
    return {"at": clock.now(), "by": current_user._get_current_object()}


@bp.get("/users", endpoint="users")
@role_required("admin")
def users_list():
    return render_template("staff/users.html", users=list_users(), roles=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"], endpoint="user_new")
@role_required("admin")
def user_new():
    form = UserForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            user = create_user(
                form.email.data,
                form.password.data or "",
                name=form.name.data or "",
                role=form.role.data,
                at=clock.now(),
            )
            flash(_("The user is created."), "success")
            return redirect(url_for("staff.user_edit", user_id=user.id), code=303)
    return render_template("staff/user_new.html", form=form), 422 if form.errors else 200


def _assign_form(user: User) -> AssignForm:
    form = AssignForm(prefix="assign")
    form.activity.choices = [SelectChoice(str(a.id), a.name) for a in active_activities()]
    return form


@bp.route("/users/<id:user_id>", methods=["GET", "POST"], endpoint="user_edit")
@role_required("admin")
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    del form.email, form.password
    if form.validate_on_submit():
        with refusal_shown(form):
            update_user(user, name=form.name.data or "", role=form.role.data, **_actor())
            flash(_("The user is saved."), "success")
            return redirect(url_for("staff.user_edit", user_id=user.id), code=303)
    return render_template(
        "staff/user_edit.html",
        user=user,
        form=form,
        password_form=PasswordForm(prefix="pw", formdata=None),
        assign_form=_assign_form(user),
        assigned=assigned_activities(user),
        scope_form=DeskScopeForm(
            prefix="scope", formdata=None, assigned_only=user.desk_assigned_only
        ),
    ), 422 if form.errors else 200


@bp.post("/users/<id:user_id>/active", endpoint="user_active")
@role_required("admin")
def user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        with refusal_shown():
            set_user_active(user, not user.active, **_actor())
            flash(_("The user is active.") if user.active else _("The user is deactivated."))
    return redirect(url_for("staff.user_edit", user_id=user.id), code=303)


@bp.post("/users/<id:user_id>/password", endpoint="user_password")
@role_required("admin")
def user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        with refusal_shown():
            reset_password(user, form.password.data, **_actor())
            flash(_("The password is changed."), "success")
    else:
        flash(_("Write the new password."), "error")
    return redirect(url_for("staff.user_edit", user_id=user.id), code=303)


@bp.post("/users/<id:user_id>/assign", endpoint="user_assign")
@role_required("admin")
def user_assign(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _assign_form(user)
    if form.validate_on_submit():
        activity = get_by_raw_id(Activity, form.activity.data) or abort(404)
        assign_volunteer(user, activity, **_actor())
        flash(_("The volunteer is assigned."), "success")
    return redirect(url_for("staff.user_edit", user_id=user.id) + "#assignments", code=303)


@bp.post("/users/<id:user_id>/desk-scope", endpoint="user_desk_scope")
@role_required("admin")
def user_desk_scope(user_id: int):
    user = db.get_or_404(User, user_id)
    form = DeskScopeForm(prefix="scope")
    if form.validate_on_submit():
        set_desk_assigned_only(user, bool(form.assigned_only.data), **_actor())
        flash(_("The desk setting is saved."), "success")
    return redirect(url_for("staff.user_edit", user_id=user.id) + "#assignments", code=303)


@bp.post("/users/<id:user_id>/unassign/<id:activity_id>", endpoint="user_unassign")
@role_required("admin")
def user_unassign(user_id: int, activity_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        unassign_volunteer(user, db.get_or_404(Activity, activity_id), **_actor())
        flash(_("The assignment is removed."), "success")
    return redirect(url_for("staff.user_edit", user_id=user.id) + "#assignments", code=303)


@bp.route("/sessions/<id:session_id>/hours", methods=["GET", "POST"], endpoint="session_hours")
@role_required("staff")
def session_hours(session_id: int):
    session = db.get_or_404(Occurrence, session_id)
    form = HoursForm()
    helpers = db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.name)
    ).all()
    form.user.choices = [SelectChoice(str(u.id), f"{u.name} ({u.email})") for u in helpers]
    if form.validate_on_submit():
        raw = form.user.data or ""
        offered = {choice.value for choice in form.user.choices}
        user = db.session.get(User, int(raw)) if raw in offered else None
        if user is None:
            form.user.errors = [_("Choose a volunteer.")]
        else:
            with refusal_shown(form):
                record_volunteer_hours(user, session, form.minutes.data, **_actor())
                flash(_("The hours are saved."), "success")
                return redirect(url_for("staff.session_hours", session_id=session.id), code=303)
    return render_template(
        "staff/session_hours.html", s=session, form=form, shifts=session_shifts(session)
    ), 422 if form.errors else 200
