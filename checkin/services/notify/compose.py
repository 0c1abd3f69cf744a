"""Writing a message: which channel, which words (in the resident's language), which tickets.

Texts live in ``templates/emails/<kind>.txt`` and ``.html`` (e-mail) and
``templates/emails/sms/<kind>.txt`` (SMS), rendered under ``force_locale(booking.locale)``.
Links point at ``PUBLIC_BASE_URL``: a message has no request to take a host from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import NotRequired, TypedDict
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, format_date, format_datetime, format_time
from flask_babel import gettext as _

from checkin.extensions import db
from checkin.models import Attendee, Booking, BookingSession, Occurrence, OutboxMessage
from checkin.services.errors import DomainError
from checkin.services.people.contact import normalise_phone
from checkin.services.tickets.ical import build_calendar
from checkin.services.tickets.qr import render_qr_png, ticket_url
from checkin.urls import message_base_url
from checkin.vocabulary import Channel, MessageKind, SeatStatus, SessionStatus

MANAGE_PATH = "/b/"
# Kinds whose e-mail carries the tickets (QR codes) and the calendar file.
WITH_TICKETS = frozenset(
    {
        MessageKind.BOOKING_CONFIRMED,
        MessageKind.WAITLIST_PROMOTED,
        MessageKind.REMINDER,
        MessageKind.TICKETS,
    }
)


class CannotCompose(Exception):
    """The message can no longer be written or sent (no address, booking anonymised, ...).
    Retrying will not help: the message is given up with this reason."""


@dataclass(frozen=True)
class Sms:
    to: str
    text: str


def manage_url(booking: Booking, *, base: str) -> str:
    return base + MANAGE_PATH + booking.manage_token


def message_locale(booking: Booking) -> str:
    """The booking's language when the app has it, else the default (Danish)."""
    if booking.locale in current_app.config["LANGUAGES"]:
        return booking.locale
    default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    return default


def choose_channel(message: OutboxMessage, booking: Booking) -> Channel:
    """E-mail when the booking has an address, else SMS when it has a phone; a channel set on
    the message (a staff resend) wins. Raises CannotCompose when the channel has no address."""
    channel = message.channel or (
        Channel.EMAIL if booking.contact_email else Channel.SMS if booking.contact_phone else None
    )
    if channel == Channel.EMAIL and booking.contact_email:
        return Channel.EMAIL
    if channel == Channel.SMS and booking.contact_phone:
        return Channel.SMS
    raise CannotCompose(f"no {channel or 'contact'} address on the booking")


def _subject(kind: MessageKind, *, activity: str, date: str) -> str:
    subjects = {
        MessageKind.BOOKING_CONFIRMED: _("You are signed up: %(activity)s", activity=activity),
        MessageKind.BOOKING_WAITLISTED: _("On the waiting list: %(activity)s", activity=activity),
        MessageKind.WAITLIST_PROMOTED: _("You got a seat: %(activity)s", activity=activity),
        MessageKind.BOOKING_CANCELLED: _(
            "Your booking is cancelled: %(activity)s", activity=activity
        ),
        MessageKind.SESSION_CANCELLED: _(
            "Cancelled: %(activity)s on %(date)s", activity=activity, date=date
        ),
        MessageKind.REMINDER: _("Reminder: %(activity)s on %(date)s", activity=activity, date=date),
        MessageKind.TICKETS: _("Your tickets: %(activity)s", activity=activity),
    }
    return subjects[kind]


def _rows(booking: Booking, session: Occurrence | None, *, at: datetime) -> list[BookingSession]:
    """The seat rows the message is about: its one session, or the booking's coming dates."""
    rows = sorted(booking.seat_rows, key=lambda row: (row.session.starts_at, row.id))
    if session is not None:
        return [row for row in rows if row.session_id == session.id]
    return [row for row in rows if row.session.starts_at > at]


def _confirmed_coming(booking: Booking, *, at: datetime) -> list[Occurrence]:
    return [
        row.session
        for row in sorted(booking.seat_rows, key=lambda row: row.session.starts_at)
        if row.status == SeatStatus.CONFIRMED
        and row.session.status == SessionStatus.SCHEDULED
        and row.session.starts_at > at
    ]


def _when(moment: datetime) -> str:
    """A session's start as the resident reads it: "Tuesday 1 December 2026 16:00"."""
    return f"{format_date(moment, 'full')} {format_time(moment, 'short')}"


class MessageContext(TypedDict):
    """What the message templates are rendered with."""

    kind: MessageKind
    booking: Booking
    activity_name: str
    session: Occurrence | None  # the session the message is about, if one
    rows: list[BookingSession]
    when: Callable[[datetime], str]
    attendees: list[Attendee]
    tickets: list[tuple[Attendee, str]]  # (attendee, ticket URL)
    with_tickets: bool
    manage_url: str
    organisation: str
    date: str
    short_date: str
    qr_cids: NotRequired[dict[int, str]]  # attendee id -> Content-ID of the QR image (e-mail)


def _context(
    message: OutboxMessage, booking: Booking, *, at: datetime, base: str
) -> MessageContext:
    locale = message_locale(booking)
    session = db.session.get(Occurrence, message.session_id) if message.session_id else None
    rows = _rows(booking, session, at=at)
    first = session or (rows[0].session if rows else None)
    attendees: list[Attendee] = [a for a in booking.attendees if a.cancelled_at is None]
    return {
        "kind": message.kind,
        "booking": booking,
        "activity_name": booking.activity.text_for(locale)[0],
        "session": session,
        "rows": rows,
        "when": _when,
        "attendees": attendees,
        "tickets": [(a, ticket_url(a.ticket_code, base_url=base)) for a in attendees],
        "with_tickets": message.kind in WITH_TICKETS and bool(_confirmed_coming(booking, at=at)),
        "manage_url": manage_url(booking, base=base),
        "organisation": current_app.config["ORGANISATION_NAME"],
        "date": _when(first.starts_at) if first else "",
        "short_date": format_datetime(first.starts_at, "short") if first else "",
    }


def compose_sms(message: OutboxMessage, booking: Booking, *, at: datetime) -> Sms:
    """A short text in the booking's language with the manage link (where the tickets are)."""
    base = message_base_url()
    with force_locale(message_locale(booking)):
        context = _context(message, booking, at=at, base=base)
        text = render_template(f"emails/sms/{message.kind}.txt", **context)
    return Sms(to=_e164(booking.contact_phone or ""), text=" ".join(text.split()))


def _e164(phone: str) -> str:
    """Gateways want +4520123456; sign-up stores that already, older or imported rows may not."""
    try:
        return normalise_phone(phone) or phone
    except DomainError:
        return phone.replace(" ", "")


def _tidy(text: str) -> str:
    """Plain text from a template: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _calendar(
    sessions: list[Occurrence], *, locale: str, base: str, at: datetime, name: str
) -> bytes:
    return build_calendar(
        sessions,
        locale=locale,
        host=urlsplit(base).hostname or "localhost",
        activity_url=lambda activity: f"{base}/activities/{activity.slug}",
        generated_at=at,
        name=name,
    )


def _attach_calendar(email: EmailMessage, ics: bytes, filename: str) -> None:
    # As bytes (base64), so the file's CRLF line ends survive; the charset lets readers decode.
    email.add_attachment(
        ics, maintype="text", subtype="calendar", filename=filename, params={"charset": "utf-8"}
    )


def compose_email(message: OutboxMessage, booking: Booking, *, at: datetime) -> EmailMessage:
    """A text and HTML e-mail in the booking's language. When it carries tickets, each
    attendee's QR code is an inline PNG and the confirmed coming dates an .ics attachment."""
    base = message_base_url()
    locale = message_locale(booking)
    with force_locale(locale):
        context = _context(message, booking, at=at, base=base)
        qr_images: list[tuple[Attendee, str, bytes]] = []
        if context["with_tickets"]:
            for attendee, url in context["tickets"]:
                cid = make_msgid(domain="ticket.invalid")
                qr_images.append((attendee, cid, render_qr_png(url, box_size=8)))
        context["qr_cids"] = {attendee.id: cid[1:-1] for attendee, cid, _png in qr_images}
        subject = _subject(message.kind, activity=context["activity_name"], date=context["date"])
        text = _tidy(render_template(f"emails/{message.kind}.txt", **context))
        html = render_template(f"emails/{message.kind}.html", subject=subject, **context)
        calendar_name = context["activity_name"]

    email = EmailMessage()
    email["Subject"] = subject
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = Address(display_name=booking.contact_name, addr_spec=booking.contact_email)
    email["Date"] = formatdate(at.timestamp(), localtime=False)
    email["Message-ID"] = make_msgid(domain=urlsplit(base).hostname or "localhost")
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(text)
    email.add_alternative(html, subtype="html")
    _text_part, html_part = email.iter_parts()  # add_alternative made it text, then HTML
    for number, (_attendee, cid, png) in enumerate(qr_images, start=1):
        html_part.add_related(
            png,
            maintype="image",
            subtype="png",
            cid=cid,
            disposition="inline",
            filename=f"ticket-{number}.png",
        )

    if context["with_tickets"]:
        sessions = _confirmed_coming(booking, at=at)
        ics = _calendar(sessions, locale=locale, base=base, at=at, name=calendar_name)
        _attach_calendar(email, ics, "booking.ics")
    elif message.kind == MessageKind.SESSION_CANCELLED and context["session"] is not None:
        # Same UID, higher sequence and STATUS:CANCELLED: the phone's calendar drops the event.
        ics = _calendar([context["session"]], locale=locale, base=base, at=at, name=calendar_name)
        _attach_calendar(email, ics, "cancelled.ics")
    email["Content-Language"] = locale  # last: building the body resets Content-* headers
    return email
