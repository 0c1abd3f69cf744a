"""Planning: projects (with their effort area), activities (texts per language, targets).
The sessions of an activity are planned in ``planning_sessions``."""

from __future__ import annotations

from babel import Locale
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.form_errors import refusal_shown
from checkin.blueprints.staff.blueprint import bp
from checkin.blueprints.staff.forms import (
    METRIC_LABELS,
    TARGET_GROUP_LABELS,
    ActivityForm,
    ConfirmForm,
    ProjectForm,
    TargetForm,
    activity_form_class,
)
from checkin.blueprints.staff.nav import staff_nav  # noqa: F401  (registers the nav)
from checkin.boundary import get_by_raw_id
from checkin.extensions import db
from checkin.models import Activity, EffortArea, Project, Target
from checkin.services import clock
from checkin.services.planning import (
    create_activity,
    create_project,
    delete_target,
    find_or_create_effort_area,
    save_target,
    set_activity_translation,
    update_activity,
    update_project,
)


def _projects() -> list[Project]:
    return list(db.session.scalars(select(Project).order_by(Project.active.desc(), Project.name)))


@bp.get("/planning", endpoint="planning")
@role_required("staff")
def planning_index():
    projects = db.session.scalars(
        select(Project)
        .options(selectinload(Project.activities), selectinload(Project.effort_area))
        .order_by(Project.active.desc(), Project.name)
    ).all()
    return render_template("staff/planning.html", projects=projects, groups=TARGET_GROUP_LABELS)


def _project_form(project: Project | None) -> ProjectForm:
    form = ProjectForm(obj=project)
    areas = db.session.scalars(select(EffortArea).order_by(EffortArea.name)).all()
    form.effort_area.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(str(a.id), a.name) for a in areas
    ]
    if request.method == "GET" and project is not None:
        form.effort_area.data = str(project.effort_area_id or "")
    return form


def _chosen_effort_area(form: ProjectForm) -> EffortArea | None:
    if (form.new_effort_area.data or "").strip():
        return find_or_create_effort_area(form.new_effort_area.data)
    return get_by_raw_id(EffortArea, form.effort_area.data)


@bp.route("/projects/new", methods=["GET", "POST"], endpoint="project_new")
@bp.route("/projects/<id:project_id>", methods=["GET", "POST"], endpoint="project_edit")
@role_required("staff")
def project_form(project_id: int | None = None):
    project = db.get_or_404(Project, project_id) if project_id is not None else None
    form = _project_form(project)
    if form.validate_on_submit():
        fields = {
            "effort_area": _chosen_effort_area(form),
            "funder": (form.funder.data or "").strip() or None,
            "description": (form.description.data or "").strip() or None,
            "at": clock.now(),
            "by": current_user,
        }
        with refusal_shown(form):
            if project is None:
                project = create_project(form.name.data, **fields)
            else:
                update_project(project, name=form.name.data, active=form.active.data, **fields)
            flash(_("The project is saved."), "success")
            return redirect(url_for("staff.planning"), code=303)
    targets = _targets(project_id=project.id) if project else []
    return render_template(
        "staff/project_form.html",
        form=form,
        project=project,
        targets=targets,
        target_form=TargetForm(prefix="target"),
        metrics=METRIC_LABELS,
    ), 422 if form.errors else 200


def _targets(**owner) -> list[Target]:
    ((key, value),) = owner.items()
    column = getattr(Target, key)
    return list(db.session.scalars(select(Target).where(column == value).order_by(Target.id)))


def _translation_languages() -> list[tuple[str, str]]:
    """The app's languages besides the default, named in the staff member's language."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    ui = Locale.parse(str(get_locale()))
    return [
        (code, Locale.parse(code).get_display_name(ui) or code)
        for code in current_app.config["LANGUAGES"]
        if code != default
    ]


def _fill_activity(form: ActivityForm, activity: Activity) -> None:
    form.project.data = str(activity.project_id)
    texts = {t.locale: t for t in activity.translations}
    for code, _language, name, description in form.translation_fields():
        name.data = texts[code].name if code in texts else None
        description.data = texts[code].description if code in texts else None


def _activity_fields(form: ActivityForm) -> dict:
    def text(field):
        return (field.data or "").strip() or None

    return {
        "target_group": form.target_group.data,
        "description": text(form.description),
        "min_age": form.min_age.data,
        "max_age": form.max_age.data,
        "place": text(form.place),
        "default_capacity": form.default_capacity.data,
        "signup_required": form.signup_required.data,
    }


@bp.route("/activities/new", methods=["GET", "POST"], endpoint="activity_new")
@bp.route("/activities/<id:activity_id>/edit", methods=["GET", "POST"], endpoint="activity_edit")
@role_required("staff")
def activity_form(activity_id: int | None = None):
    activity = db.get_or_404(Activity, activity_id) if activity_id is not None else None
    form = activity_form_class(_translation_languages())(obj=activity)
    form.set_projects(_projects())
    if request.method == "GET":
        if activity is not None:
            _fill_activity(form, activity)
        else:
            form.project.data = request.args.get("project", "")
    if form.validate_on_submit():
        project = db.session.get_one(Project, int(form.project.data))  # validated: it exists
        fields = _activity_fields(form)
        now = clock.now()
        with refusal_shown(form, fallback="default_capacity"):
            if activity is None:
                activity = create_activity(project, form.name.data.strip(), at=now, **fields)
            else:
                update_activity(
                    activity,
                    project=project,
                    name=form.name.data,
                    active=form.active.data,
                    at=now,
                    by=current_user,
                    **fields,
                )
            for code, _language, name, description in form.translation_fields():
                set_activity_translation(
                    activity, code, name=name.data, description=description.data
                )
            flash(_("The activity is saved."), "success")
            return redirect(url_for("staff.activity_sessions", activity_id=activity.id), code=303)
    return render_template(
        "staff/activity_form.html",
        form=form,
        activity=activity,
        targets=_targets(activity_id=activity.id) if activity else [],
        target_form=TargetForm(prefix="target"),
        metrics=METRIC_LABELS,
    ), 422 if form.errors else 200


@bp.post("/activities/<id:activity_id>/targets", endpoint="activity_target")
@bp.post("/projects/<id:project_id>/targets", endpoint="project_target")
@role_required("staff")
def add_target(activity_id: int | None = None, project_id: int | None = None):
    activity = db.get_or_404(Activity, activity_id) if activity_id is not None else None
    project = db.get_or_404(Project, project_id) if project_id is not None else None
    back = (
        url_for("staff.activity_edit", activity_id=activity.id)
        if activity
        else url_for("staff.project_edit", project_id=project_id)
    )
    form = TargetForm(prefix="target")
    if not form.validate_on_submit():
        for field in form:
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "error")
        return redirect(back + "#targets", code=303)
    with refusal_shown():
        save_target(
            activity=activity,
            project=project,
            metric=form.metric.data,
            value=form.value.data,
            period_start=form.period_start.data,
            period_end=form.period_end.data,
            description=(form.description.data or "").strip() or None,
        )
        flash(_("The target is added."), "success")
    return redirect(back + "#targets", code=303)


def _owner_page(target: Target) -> str:
    if target.activity_id:
        return url_for("staff.activity_edit", activity_id=target.activity_id)
    return url_for("staff.project_edit", project_id=target.project_id)


@bp.route("/targets/<id:target_id>", methods=["GET", "POST"], endpoint="target_edit")
@role_required("staff")
def edit_target(target_id: int):
    target = db.get_or_404(Target, target_id)
    form = TargetForm(obj=target)
    form.submit.label.text = _("Save")
    if form.validate_on_submit():
        with refusal_shown(form, fallback="value"):
            save_target(
                target=target,
                metric=form.metric.data,
                value=form.value.data,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                description=(form.description.data or "").strip() or None,
            )
            flash(_("The target is saved."), "success")
            return redirect(_owner_page(target) + "#targets", code=303)
    return render_template(
        "staff/target_form.html", form=form, target=target, back=_owner_page(target)
    ), 422 if form.errors else 200


@bp.post("/targets/<id:target_id>/delete", endpoint="target_delete")
@role_required("staff")
def remove_target(target_id: int):
    target = db.get_or_404(Target, target_id)
    if ConfirmForm().validate_on_submit():
        back = _owner_page(target)
        delete_target(target)
        flash(_("The target is removed."), "success")
        return redirect(back + "#targets", code=303)
    abort(400)
