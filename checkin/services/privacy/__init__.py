"""Privacy: the information text residents accept, retention, their data download and erasure."""

from checkin.services.privacy.notice import INFO_TEXT_VERSION
from checkin.services.privacy.retention import (
    AnonymisationReport,
    anonymise_booking,
    anonymise_expired,
    describe_personal_data,
    erase_booking,
    retention_cutoff,
)

__all__ = [
    "INFO_TEXT_VERSION",
    "AnonymisationReport",
    "anonymise_booking",
    "anonymise_expired",
    "describe_personal_data",
    "erase_booking",
    "retention_cutoff",
]
