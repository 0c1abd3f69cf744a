"""The domain model (DESIGN.md §2), one module per aggregate."""

from checkin.models.activity import (
    Activity,
    ActivityTranslation,
    EffortArea,
    Occurrence,
    Project,
    Target,
)
from checkin.models.area import Area, Department
from checkin.models.audit import AuditLog
from checkin.models.base import Base
from checkin.models.booking import Attendee, Booking, BookingSession, WaitlistEntry
from checkin.models.checkin import CheckIn, Feedback
from checkin.models.desk import DeskLink, ScanLog, VolunteerAssignment, VolunteerShift
from checkin.models.outbox import OutboxMessage
from checkin.models.participant import Participant
from checkin.models.user import User

__all__ = [
    "Activity",
    "ActivityTranslation",
    "Area",
    "Attendee",
    "AuditLog",
    "Base",
    "Booking",
    "BookingSession",
    "CheckIn",
    "Department",
    "DeskLink",
    "EffortArea",
    "Feedback",
    "Occurrence",
    "OutboxMessage",
    "Participant",
    "Project",
    "ScanLog",
    "Target",
    "User",
    "VolunteerAssignment",
    "VolunteerShift",
    "WaitlistEntry",
]
