"""Assisted sign-up: staff book on behalf of a resident at the office, through the residents'
own form and the same ``create_booking`` (source "office"), then print the tickets from the
staff booking page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.public.signup_flow import (
    SignupPage,
    error_list,
    handle_signup_post,
    open_signup,
    prefill,
)
from checkin.blueprints.staff.blueprint import bp
from checkin.services import clock
from checkin.services.booking import find_activity
from checkin.vocabulary import BookingSource


@bp.route("/activities/<slug>/book", methods=["GET", "POST"], endpoint="assisted_booking")
@role_required("staff")
def assisted_booking(slug: str):
    activity = find_activity(slug)
    if activity is None:
        abort(404)
    at = clock.now()
    page = open_signup(activity, at=at)
    if request.method == "GET":
        prefill(page, language=current_app.config["BABEL_DEFAULT_LOCALE"], is_adult="yes")
        return _render(page)
    if not activity.signup_required or not page.context["sessions"]:
        abort(400)
    booking = handle_signup_post(
        page, activity, at=at, by=current_user._get_current_object(), source=BookingSource.OFFICE
    )
    if booking is None:
        return _render(page)
    flash(_("The booking is made. Print the tickets for the resident."), "success")
    return redirect(url_for("staff.booking", booking_id=booking.id), code=303)


def _render(page: SignupPage):
    html = render_template(
        "staff/assisted_booking.html", form=page.form, errors=error_list(page.form), **page.context
    )
    return html, page.status
