"""Managing a booking through its secret link ``/b/<token>``: see it, cancel one person or all,
leave a waiting list, change the contact details. And the phone's own "My bookings" list.

The token (256 bits) is the only key, so there is no account. Every change is a POST with a
CSRF token, and each cancellation is asked for on a page of its own first.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from checkin.blueprints.form_errors import refusal_shown
from checkin.blueprints.public.blueprint import bp
from checkin.blueprints.public.forms import ConfirmForm, ContactForm, residence_value
from checkin.extensions import db
from checkin.i18n import language_choices
from checkin.models import Attendee, Booking, BookingSession
from checkin.services import clock
from checkin.services.booking import (
    cancel_attendee,
    cancel_booking,
    find_booking_by_token,
    leave_waitlist,
)
from checkin.services.people import list_areas, update_contact
from checkin.services.privacy import describe_personal_data, erase_booking
from checkin.vocabulary import SeatStatus


def _booking_or_404(token: str) -> Booking:
    booking = find_booking_by_token(token)
    if booking is None:
        abort(404)
    return booking


@bp.after_request
def _keep_manage_links_private(response: Response) -> Response:
    """A manage link is a secret: never send it on as a referrer (no cache keeps it either:
    ``checkin.security``)."""
    if request.path.startswith("/b/"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _seat_rows(booking: Booking) -> list[BookingSession]:
    return sorted(booking.seat_rows, key=lambda row: (row.session.starts_at, row.id))


@bp.route("/b/<token>", endpoint="booking")
def booking_page(token: str):
    booking = _booking_or_404(token)
    now = clock.now()
    return render_template(
        "public/booking.html",
        booking=booking,
        rows=_seat_rows(booking),
        active=[a for a in booking.attendees if a.cancelled_at is None],
        cancelled=[a for a in booking.attendees if a.cancelled_at is not None],
        now=now,
        has_future=any(
            row.status != SeatStatus.CANCELLED and row.session.starts_at > now
            for row in booking.seat_rows
        ),
    )


def _confirm_page(booking: Booking, *, title: str, text: str, button: str, back: str):
    form = ConfirmForm()
    form.submit.label.text = button
    return render_template(
        "public/confirm_cancel.html", booking=booking, form=form, title=title, text=text, back=back
    )


def _back_to(booking: Booking) -> Response:
    return redirect(url_for("public.booking", token=booking.manage_token), code=303)


@bp.route("/b/<token>/cancel/<id:attendee_id>", methods=["GET", "POST"])
def cancel_person(token: str, attendee_id: int):
    booking = _booking_or_404(token)
    attendee = db.session.get(Attendee, attendee_id)
    if attendee is None or attendee.booking_id != booking.id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusal_shown():
            cancel_attendee(booking, attendee, at=clock.now())
            flash(_("%(name)s is cancelled.", name=attendee.first_name), "success")
        return _back_to(booking)
    return _confirm_page(
        booking,
        title=_("Cancel %(name)s?", name=attendee.first_name),
        text=_(
            "%(name)s loses the seat on all coming dates. The seat goes to someone else.",
            name=attendee.first_name,
        ),
        button=_("Yes, cancel %(name)s", name=attendee.first_name),
        back=url_for("public.booking", token=token),
    )


@bp.route("/b/<token>/cancel", methods=["GET", "POST"])
def cancel_all(token: str):
    booking = _booking_or_404(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusal_shown():
            cancel_booking(booking, at=clock.now())
            flash(_("Your booking is cancelled."), "success")
        return _back_to(booking)
    return _confirm_page(
        booking,
        title=_("Cancel the whole booking?"),
        text=_("Everyone on the booking loses their seats on all coming dates."),
        button=_("Yes, cancel everyone"),
        back=url_for("public.booking", token=token),
    )


@bp.route("/b/<token>/waitlist/<id:session_id>/leave", methods=["GET", "POST"])
def leave_waiting_list(token: str, session_id: int):
    booking = _booking_or_404(token)
    row = next((r for r in booking.seat_rows if r.session_id == session_id), None)
    if row is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusal_shown():
            leave_waitlist(booking, row.session, at=clock.now())
            flash(_("You are no longer on the waiting list."), "success")
        return _back_to(booking)
    return _confirm_page(
        booking,
        title=_("Leave the waiting list?"),
        text=_("You lose your place in the queue for this date."),
        button=_("Yes, leave the waiting list"),
        back=url_for("public.booking", token=token),
    )


@bp.route("/b/<token>/contact", methods=["GET", "POST"])
def edit_contact(token: str):
    booking = _booking_or_404(token)
    form = ContactForm()
    form.set_choices(list_areas(), language_choices())
    if not form.is_submitted():
        form.name.data = booking.contact_name
        form.phone.data = booking.contact_phone
        form.email.data = booking.contact_email
        form.residence.data = residence_value(booking.area_id, booking.department_id)
        form.language.data = booking.locale
    elif form.validate():
        with refusal_shown(form):
            update_contact(
                booking,
                name=form.name.data,
                phone=form.phone.data,
                email=form.email.data,
                area_id=form.residence_ids()[0],
                department_id=form.residence_ids()[1],
                locale=form.language.data,
                at=clock.now(),
            )
            flash(_("Your contact details are saved."), "success")
            return _back_to(booking)
    errors = [(f.id, str(m)) for f in form if f.errors for m in f.errors]
    return render_template("public/edit_contact.html", booking=booking, form=form, errors=errors), (
        422 if errors else 200
    )


@bp.route("/my-bookings")
def my_bookings():
    return render_template("public/my_bookings.html")


@bp.route("/b/<token>/data.json", endpoint="booking_data")
def booking_data(token: str):
    """The resident's right of access: everything stored about the household, as a file."""
    booking = _booking_or_404(token)
    response = jsonify(describe_personal_data(booking))
    response.headers["Content-Disposition"] = 'attachment; filename="our-information.json"'
    return response


@bp.route("/b/<token>/erase", methods=["GET", "POST"], endpoint="erase_booking")
def erase(token: str):
    """The resident's right to erasure: cancel what is coming and remove names and contact."""
    booking = _booking_or_404(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        erase_booking(booking, at=clock.now())
        flash(_("Your information is deleted. Thank you for taking part."), "success")
        return redirect(url_for("public.home"), code=303)
    return _confirm_page(
        booking,
        title=_("Delete your information?"),
        text=_(
            "We cancel your coming dates and delete the names and contact details. "
            "Your tickets and this link stop working. Counts of who came stay, without names."
        ),
        button=_("Yes, delete our information"),
        back=url_for("public.booking", token=token),
    )
