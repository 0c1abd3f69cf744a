"""Why a request or a form was refused: pydantic's validation errors as the field names
(``items[2].code``) and stable reason codes (``required``, ``unknown_field``) the desk API has
always answered in ``{"error": {"code": "invalid_request", "fields": {...}}}``."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from checkin.bounds import NO_CONTROL_CHARACTERS
from checkin.services.desk import SYNC_TYPES

# Pydantic's error types as the reason codes the API has always answered.
REASONS = {
    "missing": "required",
    "union_tag_not_found": "required",
    "string_too_short": "required",
    "extra_forbidden": "unknown_field",
    "literal_error": "unknown_value",
    "enum": "unknown_value",
    "union_tag_invalid": "unknown_value",
    "string_type": "not_a_string",
    "string_too_long": "too_long",
    "string_pattern_mismatch": "not_valid",  # control characters: see _reason
    "int_type": "not_an_integer",
    "int_parsing": "not_an_integer",
    "int_from_float": "not_an_integer",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "too_short": "out_of_range",
    "too_long": "out_of_range",
    "bool_type": "not_a_boolean",
    "bool_parsing": "not_a_boolean",
    "uuid_type": "not_a_uuid",
    "uuid_parsing": "not_a_uuid",
    "datetime_type": "not_a_datetime",
    "datetime_parsing": "not_a_datetime",
    "datetime_from_date_parsing": "not_a_datetime",
    "timezone_aware": "no_time_zone",
    "list_type": "not_a_list",
    "model_type": "not_an_object",
    "model_attributes_type": "not_an_object",
    "json_invalid": "not_an_object",
    "json_type": "not_an_object",
}
_UNION_TAGS = frozenset(SYNC_TYPES)


def _field_name(error: Any) -> str:
    """``items[2].code`` for pydantic's ("items", 2, "scan", "code"); "body" for the whole."""
    name = ""
    previous: object = None
    for part in error["loc"]:
        if isinstance(part, int):
            name += f"[{part}]"
        elif not (isinstance(previous, int) and part in _UNION_TAGS):  # the union member's tag
            name += f".{part}" if name else str(part)
        previous = part
    extra = (error.get("ctx") or {}).get("field")
    if error["type"].startswith("union_tag_"):
        extra = "type"
    if extra:
        name += f".{extra}" if name else extra
    return name or "body"


def _reason(error: Any) -> str:
    if (error.get("ctx") or {}).get("pattern") == NO_CONTROL_CHARACTERS:
        return "control_characters"
    return REASONS.get(error["type"], error["type"])


def invalid_fields(error: ValidationError) -> dict[str, str]:
    """Each invalid field and a stable reason code (the first reason when there are several)."""
    fields: dict[str, str] = {}
    for detail in error.errors(include_url=False):
        fields.setdefault(_field_name(detail), _reason(detail))
    return fields


class InvalidRequest(Exception):
    """A request the contracts refuse; the API answers 400 ``invalid_request`` with ``fields``."""

    def __init__(self, error: ValidationError):
        super().__init__(str(error))
        self.fields = invalid_fields(error)
