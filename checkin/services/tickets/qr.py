"""Tickets: what a QR code says, how it is drawn, and how a scanned text is read back.

QR payload, version 1: the absolute URL ``<base>/t/<code>`` of the ticket page, so a phone's own
camera opens the ticket. ``<code>`` is an attendee's ticket code or a booking's household code;
neither carries personal data or a database id. The check-in desk accepts that URL (from any
host, since tablets may reach the app by another name) or the bare code typed by hand.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Attendee, Booking
from checkin.services.codes import ALPHABET, TICKET_CODE_LENGTH, normalise_code

QR_PAYLOAD_VERSION = 1
TICKET_PATH = "/t/"
_CODE = re.compile(f"^[{ALPHABET}]{{{TICKET_CODE_LENGTH}}}$")


def ticket_url(code: str, *, base_url: str) -> str:
    """The QR payload (version 1) for ``code``: the ticket page's absolute URL."""
    return base_url.rstrip("/") + TICKET_PATH + code


def parse_scanned(text: str) -> str | None:
    """The ticket code in a scanned or typed text (a ticket URL or a bare code), or None when
    the text cannot be one of our codes. Says nothing about whether the code exists."""
    text = text.strip()
    if "/" in text:
        try:
            path = urlsplit(text).path if "://" in text else text
        except ValueError:  # not a web address at all, e.g. "http://[x/t/..."
            return None
        if TICKET_PATH not in path:
            return None
        text = path.rsplit(TICKET_PATH, 1)[1].strip("/")
    code = normalise_code(text)
    return code if _CODE.match(code) else None


@dataclass(frozen=True)
class Ticket:
    """What a code opens: one attendee's ticket, or a household's (``attendee`` is None)."""

    code: str
    booking: Booking
    attendee: Attendee | None = None

    @property
    def is_household(self) -> bool:
        return self.attendee is None


def find_ticket(code: str) -> Ticket | None:
    """The ticket with ``code``: one indexed lookup on the attendee codes, then (for household
    codes) one on the bookings. Walk-ins without a booking have no ticket."""
    attendee = db.session.scalar(select(Attendee).where(Attendee.ticket_code == code))
    if attendee is not None:
        return Ticket(code, attendee.booking, attendee) if attendee.booking else None
    booking = db.session.scalar(select(Booking).where(Booking.household_code == code))
    return Ticket(code, booking) if booking is not None else None


def _qr(text: str, *, box_size: int, border: int) -> qrcode.QRCode[Any]:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def render_qr_png(text: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG with error correction M and the full 4-module quiet zone."""
    image = _qr(text, box_size=box_size, border=border).make_image(
        fill_color="black", back_color="white"
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def render_qr_svg(text: str, *, border: int = 4) -> bytes:
    """The same code as a scalable SVG path (sharp at any print size)."""
    image = _qr(text, box_size=10, border=border).make_image(
        image_factory=qrcode.image.svg.SvgPathFillImage
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
