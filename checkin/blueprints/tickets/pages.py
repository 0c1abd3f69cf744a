"""The ticket page a QR code opens, its QR images and calendar file, printable tickets, and the
service worker that keeps an opened ticket on the phone for when there is no network.

A ticket code is a bearer secret (it admits someone), so ticket pages are never sent on as a
referrer nor indexed. An unknown and a malformed code get the same friendly 404.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_login import current_user

from checkin import ROOT
from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.tickets.blueprint import bp
from checkin.extensions import db
from checkin.i18n import LANGUAGE_COOKIE
from checkin.models import Booking
from checkin.services import clock
from checkin.services.audit import record_audit
from checkin.services.booking import find_booking_by_token
from checkin.services.tickets import (
    QR_PAYLOAD_VERSION,
    PrintableTicket,
    Ticket,
    build_calendar,
    describe_ticket,
    find_ticket,
    list_printable_tickets,
    parse_scanned,
    render_qr_png,
    render_qr_svg,
    ticket_url,
)
from checkin.urls import public_base_url

# A QR image never changes for a code (its ETag carries the payload version), so browsers may
# keep it for a year. Private: a shared cache has no business holding ticket codes.
QR_CACHE_CONTROL = "private, max-age=31536000, immutable"
QR_RENDERERS = {
    "png": ("image/png", render_qr_png),
    "svg": ("image/svg+xml", render_qr_svg),
}


def _ticket_or_404(code: str) -> Ticket:
    """The ticket for the code in the URL; the same 404 whether the code is malformed or
    unknown, so a guessed code learns nothing."""
    parsed = parse_scanned(code)
    ticket = find_ticket(parsed) if parsed else None
    if ticket is None:
        abort(404)
    return ticket


def _resident_locale(booking: Booking, *, staff: bool = False) -> str:
    """The language to show a resident's ticket in: the one chosen in this browser (?lang= or
    the language cookie), else the booking's. Staff printing for a resident get the booking's
    language unless they ask for another with ?lang=."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if not staff and chosen not in languages:
        chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen is not None and chosen in languages:
        return chosen
    return booking.locale if booking.locale in languages else str(get_locale())


@bp.after_request
def _keep_tickets_private(response: Response) -> Response:
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response  # and kept by no cache but the service worker's: checkin.security


@bp.route("/t/sw.js", endpoint="service_worker")
def service_worker():
    """Served from /t/ so that its default scope covers every ticket page. Read whole (it is
    small) and revalidated by ETag, so a changed worker reaches phones on their next visit."""
    body = (ROOT / "static" / "js" / "ticket-sw.js").read_bytes()
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/t/<code>", endpoint="ticket")
def ticket_page(code: str):
    ticket = _ticket_or_404(code)
    details = describe_ticket(ticket, at=clock.now())
    with force_locale(_resident_locale(ticket.booking)):
        return render_template("tickets/ticket.html", details=details, booking=ticket.booking)


def _qr_image(code: str, fmt: str) -> Response:
    ticket = _ticket_or_404(code)
    payload = ticket_url(ticket.code, base_url=public_base_url())
    mimetype, render = QR_RENDERERS[fmt]
    digest = hashlib.sha256(f"v{QR_PAYLOAD_VERSION}|{fmt}|{payload}".encode()).hexdigest()
    etag = digest[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(render(payload), mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = QR_CACHE_CONTROL
    return response


@bp.route("/t/<code>.png", endpoint="qr_png")
def qr_png(code: str):
    return _qr_image(code, "png")


@bp.route("/t/<code>.svg", endpoint="qr_svg")
def qr_svg(code: str):
    return _qr_image(code, "svg")


@bp.route("/t/<code>.ics", endpoint="calendar")
def ticket_calendar(code: str):
    """The booking's coming confirmed dates as a calendar file, in the resident's language."""
    ticket = _ticket_or_404(code)
    booking = ticket.booking
    now = clock.now()
    sessions = describe_ticket(ticket, at=now).sessions  # none once cancelled
    base = public_base_url()
    locale = _resident_locale(booking)
    activity_url = base + url_for("public.activity", slug=booking.activity.slug)
    body = build_calendar(
        sessions,
        locale=locale,
        host=urlsplit(base).hostname or "localhost",
        activity_url=lambda activity: activity_url,
        generated_at=now,
        name=booking.activity.text_for(locale)[0],
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{booking.activity.slug}.ics"'
    return response


def _print_sheet(
    booking: Booking, cards: list[PrintableTicket], *, back_url: str | None, staff: bool = False
):
    with force_locale(_resident_locale(booking, staff=staff)):
        html = render_template(
            "tickets/print.html", booking=booking, cards=cards, back_url=back_url
        )
    return Response(html, mimetype="text/html")  # never cached: checkin.security


@bp.route("/b/<token>/tickets/print", endpoint="print_booking")
def print_booking(token: str):
    booking = find_booking_by_token(token)
    if booking is None:
        abort(404)
    cards = list_printable_tickets(booking, at=clock.now())
    return _print_sheet(booking, cards, back_url=url_for("public.booking", token=token))


@bp.route("/staff/bookings/<id:booking_id>/tickets/print", endpoint="print_booking_staff")
@role_required("staff")
def print_booking_staff(booking_id: int):
    """Staff print the tickets of a resident without a smartphone. The sheet shows names, so
    printing it is audited."""
    booking = db.get_or_404(Booking, booking_id)
    now = clock.now()
    cards = list_printable_tickets(booking, at=now)
    record_audit(
        "print_tickets",
        by=current_user,
        at=now,
        object_type="booking",
        object_id=booking.id,
        tickets=len(cards),
    )
    return _print_sheet(booking, cards, back_url=None, staff=True)
