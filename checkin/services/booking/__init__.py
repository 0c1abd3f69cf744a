"""Booking: household sign-up with exact seats, the waiting list, cancelling, moving."""

from checkin.services.booking.cancellation import cancel_attendee, cancel_booking
from checkin.services.booking.moving import move_booking
from checkin.services.booking.offer import (
    choose_sessions,
    find_activity,
    find_booking_by_token,
    list_open_sessions,
    sessions_without_room,
)
from checkin.services.booking.session_list import ListRow, SessionList, build_session_list
from checkin.services.booking.signup import (
    AttendeeDetails,
    ContactDetails,
    create_booking,
    release_seats,
    take_seats,
)
from checkin.services.booking.waitlist import leave_waitlist, promote_waitlist

__all__ = [
    "AttendeeDetails",
    "ContactDetails",
    "ListRow",
    "SessionList",
    "build_session_list",
    "cancel_attendee",
    "cancel_booking",
    "choose_sessions",
    "create_booking",
    "find_activity",
    "find_booking_by_token",
    "leave_waitlist",
    "list_open_sessions",
    "move_booking",
    "promote_waitlist",
    "release_seats",
    "sessions_without_room",
    "take_seats",
]
