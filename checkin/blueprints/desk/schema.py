"""Request bodies of the desk API, declared once: each field both validates a JSON body and
writes its own JSON Schema for the OpenAPI document, so the two cannot drift apart."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from checkin.models.booking import AGE_BANDS
from checkin.services.ages import HEADCOUNT_GROUPS
from checkin.services.desk import MAX_SYNC_ITEMS, OFFLINE_REFUSALS, SYNC_TYPES

MAX_ID = 2**31 - 1  # database ids are 32-bit integers on PostgreSQL


class Invalid(Exception):
    """A body that does not match its schema; ``fields`` maps field names to reason codes."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(fields)
        self.fields = fields


@dataclass(frozen=True)
class F:
    """One field: ``kind`` is str, int, bool, uuid, datetime, enum or ints (a list)."""

    kind: str
    required: bool = False
    max_length: int = 200
    minimum: int | None = None
    maximum: int | None = None
    values: tuple[str, ...] = ()
    nullable: bool = False
    description: str | None = None

    def schema(self) -> dict[str, Any]:
        kinds: dict[str, dict[str, Any]] = {
            "str": {"type": "string", "maxLength": self.max_length},
            "int": {"type": "integer"},
            "bool": {"type": "boolean"},
            "uuid": {"type": "string", "format": "uuid"},
            "datetime": {"type": "string", "format": "date-time"},
            "enum": {"type": "string", "enum": list(self.values)},
            "ints": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                "minItems": 1,
                "maxItems": 50,
            },
        }
        out = dict(kinds[self.kind])
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.nullable:
            out["nullable"] = True
        if self.description:
            out["description"] = self.description
        return out

    def parse(self, value: Any) -> Any:
        if value is None:
            if self.nullable or not self.required:
                return None
            raise ValueError("required")
        if self.kind == "str":
            if not isinstance(value, str):
                raise ValueError("not_a_string")
            if len(value) > self.max_length:
                raise ValueError("too_long")
            if any(ord(ch) < 32 for ch in value):
                raise ValueError("control_characters")
            return value
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError("not_an_integer")
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise ValueError("out_of_range")
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ValueError("not_a_boolean")
            return value
        if self.kind == "uuid":
            if isinstance(value, str) and len(value) == 36:
                try:
                    return str(uuid.UUID(value))
                except ValueError:
                    pass
            raise ValueError("not_a_uuid")
        if self.kind == "datetime":
            return parse_datetime(value)
        if self.kind == "enum":
            if value not in self.values:
                raise ValueError("unknown_value")
            return value
        if (
            not isinstance(value, list)
            or not 1 <= len(value) <= 50
            or not all(
                isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_ID for v in value
            )
        ):
            raise ValueError("not_a_list_of_ids")
        return value


def parse_datetime(value: Any) -> datetime:
    """An RFC 3339 date-time with an offset ("Z" allowed); naive times are refused."""
    if not isinstance(value, str) or "T" not in value.upper():
        raise ValueError("not_a_datetime")
    try:
        moment = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError as error:
        raise ValueError("not_a_datetime") from error
    if moment.tzinfo is None:
        raise ValueError("no_time_zone")
    if not 2000 <= moment.year <= 2100:
        raise ValueError("out_of_range")
    return moment


@dataclass(frozen=True)
class Body:
    name: str
    fields: dict[str, F]
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": self.description,
            "required": [name for name, f in self.fields.items() if f.required],
            "properties": {name: f.schema() for name, f in self.fields.items()},
            "additionalProperties": False,
        }

    def parse(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise Invalid({"body": "not_an_object"})
        errors: dict[str, str] = {}
        parsed: dict[str, Any] = {}
        for key in data:
            if key not in self.fields:
                errors[key] = "unknown_field"
        for name, spec in self.fields.items():
            if spec.required and name not in data:
                errors[name] = "required"
                continue
            try:
                parsed[name] = spec.parse(data.get(name))
            except ValueError as error:
                errors[name] = str(error)
        if errors:
            raise Invalid(errors)
        return parsed


WRITE = {
    "client_id": F("uuid", required=True, description="Generated by the desk, once per action."),
    "occurred_at": F("datetime", required=True, description="When it happened at the desk."),
}
SCAN_FIELDS = {
    "code": F("str", description="Scanned QR text or typed code", nullable=True),
    "attendee_id": F(
        "int", minimum=1, maximum=MAX_ID, nullable=True, description="From a search result"
    ),
    "override_reason": F("str", nullable=True, description="Check in anyway, with a reason"),
}

SCAN = Body("ScanRequest", {**WRITE, **SCAN_FIELDS}, "Give `code` or `attendee_id`.")
HOUSEHOLD = Body(
    "HouseholdRequest",
    {
        **WRITE,
        "code": F("str", required=True, description="The household code"),
        "attendee_ids": F("ints", required=True),
        "override_reason": F("str", nullable=True),
    },
)
WALK_IN = Body(
    "WalkInRequest",
    {
        **WRITE,
        "first_name": F("str", max_length=80, nullable=True),
        "age_band": F("enum", required=True, values=AGE_BANDS),
        "area_id": F("int", minimum=1, maximum=MAX_ID, nullable=True),
        "is_resident": F("bool", nullable=True),
    },
)
HEADCOUNT = Body(
    "HeadcountRequest",
    {
        **WRITE,
        "age_band": F(
            "enum",
            required=True,
            values=(*HEADCOUNT_GROUPS, *AGE_BANDS),
            description="A button group (child, youth, adult, senior) or an age band",
        ),
        "count": F("int", minimum=1, maximum=50),
    },
)
UNDO = Body(
    "UndoRequest",
    {
        **WRITE,
        "check_in_id": F("int", minimum=1, maximum=MAX_ID, nullable=True),
        "target_client_id": F("uuid", nullable=True, description="The client id of the scan"),
    },
    "Give `check_in_id` or `target_client_id`.",
)
FEEDBACK = Body(
    "FeedbackRequest",
    {"client_id": F("uuid", required=True), "score": F("int", required=True, minimum=1, maximum=5)},
)
OPEN_LINK = Body(
    "OpenDeskLinkRequest",
    {"token": F("str", required=True), "pin": F("str", required=True, max_length=12)},
)
SYNC_ITEM = Body(
    "SyncItem",
    {
        "type": F("enum", required=True, values=SYNC_TYPES),
        **WRITE,
        **SCAN_FIELDS,
        "offline_result": F(
            "enum",
            values=("ok", *OFFLINE_REFUSALS),
            nullable=True,
            description="What the desk answered offline; refusals are only logged",
        ),
        "attendee_ids": F("ints"),
        "first_name": F("str", max_length=80, nullable=True),
        "age_band": F("enum", values=(*HEADCOUNT_GROUPS, *AGE_BANDS), nullable=True),
        "area_id": F("int", minimum=1, maximum=MAX_ID, nullable=True),
        "is_resident": F("bool", nullable=True),
        "count": F("int", minimum=1, maximum=50),
        "check_in_id": F("int", minimum=1, maximum=MAX_ID, nullable=True),
        "target_client_id": F("uuid", nullable=True),
    },
)
SYNC_MAX = MAX_SYNC_ITEMS
BODIES = (SCAN, HOUSEHOLD, WALK_IN, HEADCOUNT, UNDO, FEEDBACK, OPEN_LINK, SYNC_ITEM)
