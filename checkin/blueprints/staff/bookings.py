"""One booking as staff see it: contact, people, seats, the messages sent, resending the
tickets by e-mail or SMS and moving it to another date; and the list of one session.

Looking at a booking writes no audit row (staff look at bookings all day); resending does,
since it sends personal data out of the app.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.form_errors import refusal_shown
from checkin.blueprints.staff.blueprint import bp
from checkin.blueprints.staff.forms import MoveBookingForm
from checkin.boundary import get_by_raw_id
from checkin.extensions import db
from checkin.models import Booking, Occurrence, OutboxMessage
from checkin.services import clock
from checkin.services.booking import build_session_list, list_open_sessions, move_booking
from checkin.services.notify import message_status, resend_tickets
from checkin.vocabulary import Channel, SeatStatus, member_or_none


@bp.route("/bookings/<id:booking_id>", endpoint="booking")
@role_required("staff")
def booking_page(booking_id: int):
    booking = db.get_or_404(Booking, booking_id)
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.booking_id == booking.id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    ).all()
    max_attempts = int(current_app.config["NOTIFY_MAX_ATTEMPTS"])
    return render_template(
        "staff/booking.html",
        booking=booking,
        rows=sorted(booking.seat_rows, key=lambda row: (row.session.starts_at, row.id)),
        messages=[(m, message_status(m, max_attempts=max_attempts)) for m in messages],
        print_url=url_for("tickets.print_booking_staff", booking_id=booking.id),
        can_resend=booking.cancelled_at is None and booking.anonymized_at is None,
        move_form=_move_form(booking),
    )


def _session_label(session: Occurrence) -> str:
    start = clock.local(session.starts_at)
    return f"{format_date(start, 'full')} {format_time(start, 'short')}"


def _move_form(booking: Booking) -> MoveBookingForm | None:
    """Choices: the booking's coming dates, and the activity's other coming dates."""
    if booking.cancelled_at is not None or booking.anonymized_at is not None:
        return None
    now = clock.now()
    held = [
        row.session
        for row in sorted(booking.seat_rows, key=lambda row: row.session.starts_at)
        if row.status != SeatStatus.CANCELLED and row.session.starts_at > now
    ]
    held_ids = {s.id for s in held}
    others = [s for s in list_open_sessions(booking.activity, at=now) if s.id not in held_ids]
    if not held or not others:
        return None
    form = MoveBookingForm()
    form.from_session.choices = [SelectChoice(str(s.id), _session_label(s)) for s in held]
    form.to_session.choices = [
        SelectChoice(str(s.id), f"{_session_label(s)} ({_seats_left(s)})") for s in others
    ]
    return form


def _seats_left(session: Occurrence) -> str:
    if session.seats_left is None:
        return _("free seats")
    return ngettext("%(num)d seat left", "%(num)d seats left", session.seats_left)


@bp.post("/bookings/<id:booking_id>/move", endpoint="move_booking")
@role_required("staff")
def move_booking_view(booking_id: int):
    booking = db.get_or_404(Booking, booking_id)
    form = _move_form(booking)
    if form is None or not form.validate_on_submit():
        abort(400)
    from_session, to_session = (
        get_by_raw_id(Occurrence, value) for value in (form.from_session.data, form.to_session.data)
    )
    if from_session is None or to_session is None:
        abort(400)
    with refusal_shown():
        move_booking(booking, from_session, to_session, at=clock.now(), by=current_user)
        flash(_("The booking is moved. The resident gets the tickets again."), "success")
    return redirect(url_for("staff.booking", booking_id=booking.id), code=303)


@bp.get("/sessions/<id:session_id>", endpoint="session")
@role_required("staff")
def session_page(session_id: int):
    """Everyone booked at a session with their status, check-ins and no-shows."""
    session = db.get_or_404(Occurrence, session_id)
    return render_template(
        "staff/session.html", s=session, listing=build_session_list(session, at=clock.now())
    )


@bp.route("/bookings/<id:booking_id>/resend", methods=["POST"], endpoint="resend_tickets")
@role_required("staff")
def resend_tickets_view(booking_id: int):
    booking = db.get_or_404(Booking, booking_id)
    channel = member_or_none(Channel, request.form.get("channel"))
    if channel is None:
        abort(400)
    with refusal_shown():
        resend_tickets(booking, channel=channel, by=current_user, at=clock.now())
        if channel == Channel.EMAIL:
            flash(_("The tickets are being sent by e-mail."), "success")
        else:
            flash(_("The tickets are being sent by SMS."), "success")
    return redirect(url_for("staff.booking", booking_id=booking.id), code=303)


from checkin.blueprints.staff import assisted  # noqa: E402,F401  (registers its route)
