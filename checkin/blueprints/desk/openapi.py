"""The OpenAPI 3.0 document of the desk API, built from the same request schemas the API
validates with (``schema.py``). Served at GET /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from checkin.blueprints.desk import schema as S
from checkin.services.desk import RESULT_CODES

STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": "string", "format": "date-time", "nullable": True}
INT = {"type": "integer"}
NULLABLE_INT = {"type": "integer", "nullable": True}
BOOL = {"type": "boolean"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required if required is not None else list(properties),
        "properties": properties,
    }


RESULT_DESCRIPTION = (
    "Stable result code. Scans: " + ", ".join(RESULT_CODES) + ". Undo: undone, not_found, "
    "already_undone, undo_expired, other_desk. In a sync, an item a rule refused carries that "
    "rule's error code (e.g. invalid_age_band)."
)

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": STRING,
                    "message": STRING,
                    "field": NULLABLE_STRING,
                    "fields": {"type": "object", "additionalProperties": STRING},
                },
            }
        }
    ),
    "Person": _object({"id": INT, "first_name": NULLABLE_STRING}),
    "HouseholdMember": _object(
        {
            "id": INT,
            "first_name": NULLABLE_STRING,
            "status": {"type": "string", "enum": ["confirmed", "waitlisted", "cancelled", "none"]},
            "checked_in": BOOL,
            "checked_in_at": NULLABLE_DATETIME,
            "selected": {"type": "boolean", "description": "Pre-select this person"},
        }
    ),
    "ScanResult": _object(
        {
            "result": {"type": "string", "description": RESULT_DESCRIPTION},
            "client_id": STRING,
            "session_id": INT,
            "replayed": {"type": "boolean", "description": "A repeated client id: the original"},
            "attendee": {**_object({"id": INT, "first_name": NULLABLE_STRING}), "nullable": True},
            "first_names": {"type": "array", "items": STRING},
            "check_in_id": NULLABLE_INT,
            "checked_in_at": NULLABLE_DATETIME,
            "checked_in_by": {**NULLABLE_STRING, "description": "Desk or user name"},
            "sessions": {
                "type": "array",
                "description": "wrong_session: the sessions the ticket is for",
                "items": _object({"id": INT, "name": STRING, "starts_at": DATETIME}),
            },
            "attendees": {"type": "array", "items": _ref("HouseholdMember")},
            "overridable": {"type": "boolean", "description": "Offer 'check in anyway'"},
            "note": NULLABLE_STRING,
        }
    ),
    "SearchHit": _object(
        {
            "id": INT,
            "first_name": NULLABLE_STRING,
            "status": {"type": "string", "enum": ["confirmed", "waitlisted", "cancelled"]},
            "checked_in": BOOL,
            "checked_in_at": NULLABLE_DATETIME,
        }
    ),
    "DeskSession": _object(
        {
            "id": INT,
            "activity": STRING,
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "place": NULLABLE_STRING,
            "capacity": NULLABLE_INT,
            "status": {"type": "string", "enum": ["scheduled", "cancelled"]},
            "assigned": {"type": "boolean", "description": "The user helps at this activity"},
        }
    ),
    "TicketList": _object(
        {
            "session_id": INT,
            "generated_at": DATETIME,
            "hash": {"type": "string", "enum": ["sha256"]},
            "tickets": {
                "type": "array",
                "items": _object(
                    {
                        "code_hash": {"type": "string", "description": "hex SHA-256 of the code"},
                        "attendee_id": INT,
                        "first_name": NULLABLE_STRING,
                        "status": {
                            "type": "string",
                            "enum": ["confirmed", "waitlisted", "cancelled"],
                        },
                        "checked_in": BOOL,
                    }
                ),
            },
            "households": {
                "type": "array",
                "items": _object(
                    {"code_hash": STRING, "attendee_ids": {"type": "array", "items": INT}}
                ),
            },
        }
    ),
    "Counters": _object(
        {
            "session_id": INT,
            "checked_in": {**INT, "description": "Booked people checked in"},
            "booked": {**INT, "description": "Confirmed seats"},
            "capacity": NULLABLE_INT,
            "walk_ins": INT,
            "headcount": {**INT, "description": "Anonymous people counted"},
            "present": {**INT, "description": "All attendances"},
            "not_arrived": {
                "type": "array",
                "items": _object({"id": INT, "first_name": NULLABLE_STRING, "booking_id": INT}),
            },
        }
    ),
    "DeskToken": _object(
        {
            "token": STRING,
            "token_type": {"type": "string", "enum": ["Bearer"]},
            "expires_in": {**INT, "description": "Seconds"},
            "desk": _object({"id": INT, "name": STRING}),
        }
    ),
    "SyncRequest": {
        "type": "object",
        "required": ["items"],
        "additionalProperties": False,
        "properties": {
            "items": {
                "type": "array",
                "minItems": 1,
                "maxItems": S.SYNC_MAX,
                "items": _ref("SyncItem"),
            }
        },
    },
}
SCHEMAS.update({body.name: body.schema() for body in S.BODIES})


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(_ref("Error"), "Invalid request (code invalid_request, or csrf_failed)"),
    "401": _json(_ref("Error"), "Not authenticated (unauthorized, invalid_token)"),
    "403": _json(_ref("Error"), "Not allowed (forbidden)"),
    "404": _json(_ref("Error"), "No such session (not_found)"),
}
SESSION_ID = {
    "name": "session_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": S.MAX_ID},
}


def _op(
    op_id: str,
    summary: str,
    response: dict[str, Any],
    *,
    status: str = "200",
    body: str | None = None,
    params: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "parameters": params if params is not None else [SESSION_ID],
        "responses": {status: _json(response, "Success"), **ERRORS, **(extra or {})},
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body)}},
        }
        operation["responses"]["422"] = _json(_ref("Error"), "A rule refused (error code)")
    return operation


def build_document() -> dict[str, Any]:
    """The whole OpenAPI 3.0.3 document."""
    result = _ref("ScanResult")
    search_q = {
        "name": "q",
        "in": "query",
        "required": True,
        "description": "First or last name (any case and accents), or 3+ last phone digits",
        "schema": {"type": "string", "minLength": 1, "maxLength": 100},
    }
    base = "/sessions/{session_id}"
    paths = {
        "/sessions": {
            "get": _op(
                "listSessions",
                "Today's sessions, the user's assigned activities first",
                _object({"sessions": {"type": "array", "items": _ref("DeskSession")}}),
                params=[],
            )
        },
        f"{base}/tickets": {
            "get": _op("ticketList", "Hashed ticket list for offline use", _ref("TicketList"))
        },
        f"{base}/counters": {
            "get": _op("counters", "Live counters and who has not arrived", _ref("Counters"))
        },
        f"{base}/search": {
            "get": _op(
                "search",
                "Search people booked at this session (first names and status only)",
                _object({"results": {"type": "array", "items": _ref("SearchHit")}}),
                params=[SESSION_ID, search_q],
            )
        },
        f"{base}/scan": {
            "post": _op(
                "scan", "Scan or type a code, or check in a search hit", result, body="ScanRequest"
            )
        },
        f"{base}/household": {
            "post": _op(
                "household",
                "Check in those present of a household",
                result,
                body="HouseholdRequest",
            )
        },
        f"{base}/walk-ins": {
            "post": _op("walkIn", "Register a walk-in", result, status="201", body="WalkInRequest")
        },
        f"{base}/headcount": {
            "post": _op(
                "headcount", "Count anonymous people", result, status="201", body="HeadcountRequest"
            )
        },
        f"{base}/undo": {
            "post": _op(
                "undo", "Undo a check-in (same desk, 15 minutes)", result, body="UndoRequest"
            )
        },
        f"{base}/sync": {
            "post": _op(
                "sync",
                "Apply an offline queue in the order things happened",
                _object({"results": {"type": "array", "items": result}}),
                body="SyncRequest",
            )
        },
        f"{base}/feedback": {
            "post": _op(
                "feedback",
                "One kiosk smiley; the same device must pause 3 s between taps",
                _object({"result": {"type": "string", "enum": ["recorded"]}}),
                status="201",
                body="FeedbackRequest",
                extra={"429": _json(_ref("Error"), "Tapped too fast (too_fast)")},
            )
        },
        "/desk-links/open": {
            "post": {
                **_op(
                    "openDeskLink",
                    "Trade a desk link and its PIN for a bearer token",
                    _ref("DeskToken"),
                    body="OpenDeskLinkRequest",
                    params=[],
                    extra={"429": _json(_ref("Error"), "Too many attempts")},
                ),
                "security": [],
            }
        },
    }
    paths["/desk-links/open"]["post"]["responses"].pop("401")
    paths["/desk-links/open"]["post"]["responses"].pop("404")
    paths["/sessions"]["get"]["responses"].pop("404")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Nordby Check-in desk API",
            "version": "1.0.0",
            "description": (
                "The volunteer's check-in desk. Every write carries a client-generated UUID "
                "(`client_id`) and the time it happened (`occurred_at`); a repeated client id "
                "answers the original result. Authenticate with a desk token (`Authorization: "
                "Bearer`) or the session cookie; cookie-authenticated writes need `X-CSRFToken`."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"cookieAuth": [], "csrfToken": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
        },
    }
