"""People: the same person across bookings, merging duplicates, age bands, retention."""

from checkin.services.people.contact import (
    DEFAULT_REGION,
    NAME_MAX,
    Residence,
    check_contact,
    contact_errors,
    list_areas,
    normalise_email,
    normalise_phone,
    resolve_residence,
    update_contact,
)
from checkin.services.people.directory import (
    PAGE_SIZE,
    PersonActivity,
    merge_participants,
    person_activities,
    person_attendees,
    search_participants,
    suggest_duplicates,
)
from checkin.services.people.matching import (
    find_or_create_participant,
    fold,
    match_key,
    search_name,
)

__all__ = [
    "DEFAULT_REGION",
    "NAME_MAX",
    "PAGE_SIZE",
    "PersonActivity",
    "Residence",
    "check_contact",
    "contact_errors",
    "find_or_create_participant",
    "fold",
    "list_areas",
    "match_key",
    "merge_participants",
    "normalise_email",
    "normalise_phone",
    "person_activities",
    "person_attendees",
    "resolve_residence",
    "search_name",
    "search_participants",
    "suggest_duplicates",
    "update_contact",
]
