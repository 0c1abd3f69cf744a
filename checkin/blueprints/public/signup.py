"""The activity page and the household sign-up form (issue 3).

The form works without JavaScript: "add a person" is a submit button that renders the form again
with one more row, keeping everything typed. A POST that books redirects to the secret manage
link, so the confirmation can only be reached by the one who booked. The form's round trip is
shared with the staff's assisted booking (``signup_flow``).
"""

from __future__ import annotations

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter import RequestLimit

from checkin.blueprints.public.blueprint import bp
from checkin.blueprints.public.filters import age_words, target_group_words
from checkin.blueprints.public.signup_flow import (
    SignupPage,
    error_list,
    handle_signup_post,
    open_signup,
    prefill,
)
from checkin.extensions import limiter
from checkin.models import Booking
from checkin.ratelimits import configured, email_key, phone_key, redirected, without
from checkin.services import clock
from checkin.services.booking import find_activity
from checkin.vocabulary import BookingSource, SeatStatus


def _only_rerenders() -> bool:
    """Adding or removing a row only renders the form again: it writes nothing, so it does not
    count against the booking limit (a big family would otherwise hit it)."""
    return "add_person" in request.form or "remove_person" in request.form


def _rate_limited(_limit: RequestLimit) -> Response | None:
    """A limit was hit: the form comes back (429) with everything typed and a message, so the
    resident can send it again in a while without typing it all again."""
    activity = find_activity((request.view_args or {}).get("slug", ""))
    if activity is None:
        return None  # the plain "too many attempts" page
    page = open_signup(
        activity, at=clock.now(), age_words=age_words, target_group_words=target_group_words
    )
    page.form.general_errors = [
        _(
            "You have sent many sign-ups in a short while. Please wait a few minutes and send "
            "the form again: what you typed is kept."
        )
    ]
    page.status = 429
    return make_response(_render(page))


def _per_contact(key_func, field: str):
    """The per-contact limit on the phone or e-mail typed: only bookings made count."""
    return limiter.limit(
        configured("BOOKING_CONTACT_RATE_LIMIT"),
        key_func=key_func,
        methods=["POST"],
        exempt_when=lambda: _only_rerenders() or without(field)(),
        deduct_when=redirected,
        on_breach=_rate_limited,
    )


@bp.route("/activities/<slug>", methods=["GET", "POST"], endpoint="activity")
@limiter.limit(
    configured("BOOKING_RATE_LIMIT"),
    methods=["POST"],
    exempt_when=_only_rerenders,
    on_breach=_rate_limited,
)
@_per_contact(phone_key, "phone")
@_per_contact(email_key, "email")
def activity_page(slug: str):
    activity = find_activity(slug)
    if activity is None:
        abort(404)
    at = clock.now()
    page = open_signup(activity, at=at, age_words=age_words, target_group_words=target_group_words)
    if request.method == "GET":
        prefill(page, language=str(get_locale()))
        return render_template("public/activity.html", form=page.form, **page.context)
    if not activity.signup_required or not page.context["sessions"]:
        abort(400)
    if page.form.website.data:
        # A honeypot only a bot fills. No booking; the form comes back (status 400) with a
        # general message, so a person whose browser filled it loses nothing and can resend.
        page.form.website.data = ""
        page.form.general_errors = [_("Please check the form and send it again.")]
        page.status = 400
        return _render(page)
    booking = handle_signup_post(page, activity, at=at, by=None, source=BookingSource.ONLINE)
    if booking is None:
        return _render(page)
    _flash_outcome(booking)
    return redirect(url_for("public.booking", token=booking.manage_token), code=303)


def _flash_outcome(booking: Booking) -> None:
    statuses = {row.status for row in booking.seat_rows}
    if statuses == {SeatStatus.CONFIRMED}:
        flash(_("Thank you! You are signed up."), "success")
    elif SeatStatus.CONFIRMED in statuses:
        flash(_("You are signed up. On some dates you are on the waiting list: see below."), "info")
    else:
        flash(_("It is full. Your whole household is on the waiting list."), "info")


def _render(page: SignupPage):
    html = render_template(
        "public/activity.html", form=page.form, errors=error_list(page.form), **page.context
    )
    return html, page.status
