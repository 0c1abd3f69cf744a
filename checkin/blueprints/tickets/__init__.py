"""Tickets: the ticket page a QR code opens, QR images, calendar files, printable tickets."""

from flask import Blueprint

bp = Blueprint("tickets", __name__)

from checkin.blueprints.tickets import pages  # noqa: E402,F401  (registers the routes)

__all__ = ["bp"]
