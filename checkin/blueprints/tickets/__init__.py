"""Tickets: the ticket page a QR code opens, QR images, calendar files, printable tickets.

The blueprint is declared in ``blueprint``; each module below registers its routes on it."""

from checkin.blueprints.tickets import pages
from checkin.blueprints.tickets.blueprint import bp

# Imported for their routes, which register on ``bp`` when the module loads.
ROUTE_MODULES = (pages,)

__all__ = ["bp"]
