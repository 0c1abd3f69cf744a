"""The words every layer shares: statuses, methods, codes and kinds, as string enums.

Models use them in their columns and CHECK constraints, services in their rules, views and
templates in their comparisons. A member is a ``str`` equal to its value, so templates, JSON and
SQL see the plain word. On Python 3.11, ``"word" in SomeEnum`` raises a TypeError: test
membership against ``frozenset(SomeEnum)``, or convert with ``member_or_none``.

This module imports nothing from the app, so models, services and blueprints can all use it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


def member_or_none(enum: type[E], value: str | None) -> E | None:
    """``value`` as a member of ``enum``; None when it is None or not one of its values."""
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        return None


class SessionStatus(StrEnum):
    """A session (``Occurrence``) is held as planned or was cancelled."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class SeatStatus(StrEnum):
    """A booking's seats at one session (``BookingSession.status``)."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class BookingScope(StrEnum):
    """A booking is for one date or for every coming date of the activity."""

    SESSION = "session"
    SERIES = "series"


class BookingSource(StrEnum):
    """Who made a booking: the resident online, or staff at the office for them."""

    ONLINE = "online"
    OFFICE = "office"


class WaitlistResolution(StrEnum):
    """How a waiting-list entry ended."""

    PROMOTED = "promoted"
    LEFT = "left"
    CANCELLED = "cancelled"


class CheckInMethod(StrEnum):
    """How a check-in row was recorded."""

    SCAN = "scan"
    SEARCH = "search"
    HOUSEHOLD = "household"
    WALK_IN = "walk_in"
    HEADCOUNT = "headcount"
    PAPER = "paper"
    STAFF = "staff"  # checked in anyway, overruling a refusal with a reason


class ScanResultCode(StrEnum):
    """What the desk answers to a scan or a household, walk-in or headcount action. Stable: the
    desk maps them to colours and sounds, the tests assert them."""

    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    WRONG_SESSION = "wrong_session"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"
    INVALID = "invalid"
    HOUSEHOLD = "household"


class UndoResultCode(StrEnum):
    """What the desk answers to an undo."""

    UNDONE = "undone"
    NOT_FOUND = "not_found"
    ALREADY_UNDONE = "already_undone"
    UNDO_EXPIRED = "undo_expired"
    OTHER_DESK = "other_desk"


class SyncItemType(StrEnum):
    """The desk actions an offline queue holds."""

    SCAN = "scan"
    HOUSEHOLD = "household"
    WALK_IN = "walk_in"
    HEADCOUNT = "headcount"
    UNDO = "undo"


class TicketState(StrEnum):
    """A ticket as its page shows it."""

    VALID = "valid"  # a confirmed seat at a coming session
    WAITLISTED = "waitlisted"  # no confirmed seat yet, but waiting for one
    NO_DATES = "no_dates"  # nothing coming: every date has passed or was cancelled
    CANCELLED = "cancelled"  # the person or the whole booking is cancelled


class FeedbackSource(StrEnum):
    """Where a smiley was given."""

    KIOSK = "kiosk"
    LINK = "link"


class Role(StrEnum):
    """A login's role, highest first: each role may do what the roles after it may."""

    ADMIN = "admin"
    STAFF = "staff"
    VOLUNTEER = "volunteer"


class TargetGroup(StrEnum):
    """Whom an activity is for."""

    CHILDREN = "children"
    YOUTH = "youth"
    ADULTS = "adults"
    SENIORS = "seniors"
    FAMILIES = "families"
    EVERYONE = "everyone"


class TargetMetric(StrEnum):
    """What a target counts."""

    UNIQUE_PARTICIPANTS = "unique_participants"
    ATTENDANCES = "attendances"
    SESSIONS_HELD = "sessions_held"
    NEW_PARTICIPANTS = "new_participants"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class AgeBand(StrEnum):
    """The age bands evaluations report (CONTEXT.md), youngest first."""

    AGE_0_5 = "0-5"
    AGE_6_9 = "6-9"
    AGE_10_12 = "10-12"
    AGE_13_14 = "13-14"
    AGE_15_17 = "15-17"
    AGE_18_24 = "18-24"
    AGE_25_29 = "25-29"
    AGE_30_64 = "30-64"
    AGE_65_PLUS = "65+"


# The walk-in form's explicit "don't know" answer for the age: stored as no band, so the figures
# count the person under "unknown" instead of a real band the volunteer never chose.
AGE_UNKNOWN = "unknown"
# What the walk-in form may answer for the age: an evaluation band, or "don't know". Built from
# AgeBand so the two never drift apart.
WalkInAge = StrEnum(  # type: ignore[misc]
    "WalkInAge", [*((band.name, band.value) for band in AgeBand), ("UNKNOWN", AGE_UNKNOWN)]
)


class HeadcountGroup(StrEnum):
    """What a volunteer can tell at a glance when counting anonymous people at the door. Stored
    as counted: mapping "child" onto one evaluation band would invent precision the count lacks.
    """

    CHILD = "child"
    YOUTH = "youth"
    ADULT = "adult"
    SENIOR = "senior"


class MessageKind(StrEnum):
    """What a message owed to a resident is about (``OutboxMessage.kind``)."""

    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_WAITLISTED = "booking_waitlisted"
    WAITLIST_PROMOTED = "waitlist_promoted"
    BOOKING_CANCELLED = "booking_cancelled"
    SESSION_CANCELLED = "session_cancelled"
    REMINDER = "reminder"
    TICKETS = "tickets"


class Channel(StrEnum):
    """How a message reaches a resident."""

    EMAIL = "email"
    SMS = "sms"
