"""One booking as staff see it: contact, people, seats, the messages sent, and resending the
tickets by e-mail or SMS.

Looking at a booking writes no audit row (staff look at bookings all day); resending does,
since it sends personal data out of the app.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BuildError

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.staff import bp
from checkin.extensions import db
from checkin.models import Booking, OutboxMessage
from checkin.services import clock
from checkin.services.errors import DomainError
from checkin.services.notify import CHANNELS, message_status, resend_tickets


def _booking_or_404(booking_id: int) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        abort(404)
    return booking


def _print_url(booking_id: int) -> str:
    # The printable tickets page belongs to the tickets blueprint; fall back to its path
    # while that route is not registered.
    try:
        return url_for("tickets.print_booking_staff", booking_id=booking_id)
    except BuildError:
        return f"{request.script_root}/staff/bookings/{booking_id}/tickets/print"


@bp.route("/bookings/<int:booking_id>", endpoint="booking")
@role_required("staff")
def booking_page(booking_id: int):
    booking = _booking_or_404(booking_id)
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.booking_id == booking.id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    ).all()
    max_attempts = int(current_app.config["NOTIFY_MAX_ATTEMPTS"])
    return render_template(
        "staff/booking.html",
        booking=booking,
        rows=sorted(booking.seats, key=lambda row: (row.session.starts_at, row.id)),
        messages=[(m, message_status(m, max_attempts=max_attempts)) for m in messages],
        print_url=_print_url(booking.id),
        can_resend=booking.cancelled_at is None and booking.anonymized_at is None,
    )


@bp.route("/bookings/<int:booking_id>/resend", methods=["POST"], endpoint="resend_tickets")
@role_required("staff")
def resend_tickets_view(booking_id: int):
    booking = _booking_or_404(booking_id)
    channel = request.form.get("channel", "")
    if channel not in CHANNELS:
        abort(400)
    try:
        resend_tickets(booking, channel=channel, by=current_user, at=clock.now())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        if channel == "email":
            flash(_("The tickets are being sent by e-mail."), "success")
        else:
            flash(_("The tickets are being sent by SMS."), "success")
    return redirect(url_for("staff.booking", booking_id=booking.id), code=303)
