"""Tickets: the QR code on each ticket and what a ticket shows and prints."""

from checkin.services.tickets.details import (
    PrintableTicket,
    TicketDetails,
    describe_ticket,
    list_printable_tickets,
    list_valid_sessions,
    list_waiting_sessions,
)
from checkin.services.tickets.ical import PRODID, REFRESH_INTERVAL, build_calendar, session_uid
from checkin.services.tickets.qr import (
    QR_PAYLOAD_VERSION,
    TICKET_PATH,
    Ticket,
    find_ticket,
    parse_scanned,
    render_qr_png,
    render_qr_svg,
    ticket_url,
)

__all__ = [
    "PRODID",
    "QR_PAYLOAD_VERSION",
    "REFRESH_INTERVAL",
    "TICKET_PATH",
    "PrintableTicket",
    "Ticket",
    "TicketDetails",
    "build_calendar",
    "describe_ticket",
    "find_ticket",
    "list_printable_tickets",
    "list_valid_sessions",
    "list_waiting_sessions",
    "parse_scanned",
    "render_qr_png",
    "render_qr_svg",
    "session_uid",
    "ticket_url",
]
