"""People: participants found across bookings, a person's page, duplicates and merging."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.form_errors import refusal_shown
from checkin.blueprints.staff.blueprint import bp
from checkin.blueprints.staff.forms import ConfirmForm
from checkin.boundary import get_by_raw_id
from checkin.extensions import db
from checkin.models import Participant
from checkin.services import clock
from checkin.services.people import (
    merge_participants,
    person_activities,
    person_attendees,
    search_participants,
    suggest_duplicates,
)


@bp.get("/people", endpoint="people")
@role_required("staff")
def people_list():
    query = request.args.get("q", "").strip()[:100]
    return render_template("staff/people.html", query=query, people=search_participants(query))


@bp.get("/people/<id:participant_id>", endpoint="person")
@role_required("staff")
def person_page(participant_id: int):
    person = db.get_or_404(Participant, participant_id)
    if person.merged_into_id is not None:
        return redirect(url_for("staff.person", participant_id=person.merged_into_id), code=301)
    return render_template(
        "staff/person.html",
        person=person,
        activities=person_activities(person),
        attendees=person_attendees(person),
    )


@bp.get("/people/duplicates", endpoint="duplicates")
@role_required("staff")
def duplicates():
    groups = [(group, {p.id: person_attendees(p) for p in group}) for group in suggest_duplicates()]
    return render_template("staff/duplicates.html", groups=groups)


def _participant_or_404(name: str) -> Participant:
    """The participant whose id the query or form names under ``name``."""
    return get_by_raw_id(Participant, request.values.get(name)) or abort(404)


@bp.route("/people/merge", methods=["GET", "POST"], endpoint="merge")
@role_required("staff")
def merge():
    keep = _participant_or_404("keep")
    other = _participant_or_404("merge")
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusal_shown():
            merge_participants(keep, other, at=clock.now(), by=current_user)
            flash(_("The two are merged into one person."), "success")
            return redirect(url_for("staff.person", participant_id=keep.id), code=303)
        return redirect(url_for("staff.duplicates"), code=303)
    return render_template(
        "staff/merge.html",
        keep=keep,
        other=other,
        attendees={p.id: person_attendees(p) for p in (keep, other)},
        form=form,
    )
