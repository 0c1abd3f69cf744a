"""Tickets: the ticket page a QR code opens, QR images, calendar files, printable tickets.

The blueprint is declared in ``blueprint``; each module below registers its routes on it."""

# The route modules register their routes on the blueprint when they are imported.
from checkin.blueprints.tickets import pages  # noqa: F401
from checkin.blueprints.tickets.blueprint import bp

__all__ = ["bp"]
