"""The desk's JSON API under /api/v1, described by /api/v1/openapi.json.

Authentication: a desk token (``Authorization: Bearer <token>`` from POST /desk-links/open), or
the browser session (a logged-in volunteer, staff or admin, or a tablet that opened a desk link
page); cookie-authenticated writes need the CSRF token in ``X-CSRFToken``. Bearer requests carry
no ambient credentials, so the blueprint is exempt from Flask-WTF's form check and this module
enforces CSRF itself for cookies.

Each route declares its request and response models (``contracts``) with ``@operation``; the
request boundary commits a successful request and rolls back any other. Errors are
``{"error": {"code", "message", "field"?, "fields"?}}``: 400 ``invalid_request`` for a request
the contracts refuse, and a rule's refusal (``DomainError``) is answered by ``checkin.errors``:
422, except the few codes in its ``REFUSAL_STATUS``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError as CSRFValidationError

from checkin.blueprints.desk import contracts
from checkin.blueprints.desk.blueprint import api
from checkin.blueprints.desk.invalid import InvalidRequest
from checkin.blueprints.desk.operations import is_public, openapi_document, operation
from checkin.extensions import csrf, db, limiter
from checkin.models import Occurrence
from checkin.services import clock
from checkin.services.desk import (
    API_TOKEN_MAX_AGE,
    SyncItem,
    check_in_household,
    desk_link_for_api_token,
    issue_api_token,
    list_desk_sessions,
    not_arrived,
    offline_ticket_list,
    open_desk_link,
    open_desk_link_id,
    record_desk_headcount,
    record_desk_walk_in,
    record_kiosk_feedback,
    require_assigned,
    scan_ticket,
    search_attendees,
    session_counters,
    sync_scans,
    undo_check_in,
)
from checkin.vocabulary import CheckInMethod

csrf.exempt(api)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DESK_LINK_SESSION_KEY = "desk_link_id"
# How a read refuses a desk held to other activities, and how a write refuses a volunteer or
# desk link outside its scope (checkin.services.desk.scope).
NOT_ASSIGNED = {
    403: "Not allowed: forbidden, or not_assigned (a volunteer or desk link held to other "
    "activities)"
}
OUT_OF_SCOPE = {
    403: "Not allowed: forbidden; or, for a volunteer or desk link, not_assigned (another "
    "activity) or outside_desk_window (before or after the session's desk window)"
}


def api_error(status: int, code: str, message: Any, **extra: Any):
    return jsonify(contracts.error_body(code, message, **extra)), status


@api.errorhandler(InvalidRequest)
def _invalid_request(error: InvalidRequest):
    return api_error(400, "invalid_request", _("The request is not valid."), fields=error.fields)


@api.before_request
def _authenticate():
    """Who is at the desk: ``g.desk_user`` (a login) and/or ``g.desk_link`` (a tablet)."""
    g.desk_user, g.desk_link = None, None
    if request.endpoint == "api.openapi" or is_public(request.endpoint):
        return None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        link = desk_link_for_api_token(header[7:].strip())
        if link is None:
            message = _("The desk token is invalid, expired or revoked.")
            return api_error(401, "invalid_token", message)
        g.desk_link = link
        return None
    if current_user.is_authenticated:
        if not current_user.has_role("volunteer"):
            return api_error(403, "forbidden", _("This account may not use the desk."))
        g.desk_user = current_user._get_current_object()
    else:
        g.desk_link = open_desk_link_id(session.get(DESK_LINK_SESSION_KEY))
        if g.desk_link is None:
            return api_error(401, "unauthorized", _("Log in or open a desk link first."))
    if request.method not in SAFE_METHODS:
        try:
            validate_csrf(request.headers.get("X-CSRFToken"))
        except CSRFValidationError:
            return api_error(400, "csrf_failed", _("The page has expired. Reload it."))
    return None


def _actor() -> dict[str, Any]:
    return {"by": g.desk_user, "desk": g.desk_link, "at": clock.now()}


def _readable(session_id: int) -> Occurrence:
    """The session, when this desk may see its people (a desk held to other activities may not)."""
    desk_session = db.get_or_404(Occurrence, session_id)
    require_assigned(desk_session, by=g.desk_user, desk=g.desk_link)
    return desk_session


def _write(body: contracts.Write) -> dict[str, Any]:
    """What every desk action passes on: the actor, the client id and when it happened."""
    return {"client_id": str(body.client_id), "occurred_at": body.occurred_at, **_actor()}


@api.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app))


@api.post("/desk-links/open")
@limiter.limit("10 per minute")
@operation(
    "openDeskLink",
    "Trade a desk link and its PIN for a bearer token",
    body=contracts.OpenDeskLinkRequest,
    response=contracts.DeskToken,
    public=True,
    errors={
        403: "Unknown or revoked link (invalid_link), or a wrong PIN (wrong_pin)",
        423: "Locked after too many wrong PINs until staff unlock it (link_locked)",
        429: "Too many attempts",
    },
)
def open_link(body: contracts.OpenDeskLinkRequest) -> contracts.DeskToken:
    link = open_desk_link(body.token, body.pin, at=clock.now())
    return contracts.DeskToken(
        token=issue_api_token(link),
        expires_in=API_TOKEN_MAX_AGE,
        desk=contracts.DeskRef(id=link.id, name=link.name),
    )


@api.get("/sessions")
@operation(
    "listSessions",
    "Today's sessions this desk may use, the user's assigned activities first",
    response=contracts.DeskSessions,
)
def sessions() -> contracts.DeskSessions:
    rows = list_desk_sessions(user=g.desk_user, desk=g.desk_link, at=clock.now())
    return contracts.DeskSessions(
        sessions=[
            contracts.DeskSession(
                id=row.session.id,
                activity=row.session.activity.name,
                starts_at=row.session.starts_at,
                ends_at=row.session.ends_at,
                place=row.session.where,
                capacity=row.session.capacity,
                status=row.session.status,
                assigned=row.assigned,
            )
            for row in rows
        ]
    )


@api.get("/sessions/<id:session_id>/tickets")
@operation(
    "ticketList",
    "Hashed ticket list for offline use",
    response=contracts.TicketList,
    errors=NOT_ASSIGNED,
)
def tickets(session_id: int) -> contracts.TicketList:
    desk_session = _readable(session_id)
    return contracts.TicketList.model_validate(offline_ticket_list(desk_session, at=clock.now()))


@api.get("/sessions/<id:session_id>/counters")
@operation(
    "counters",
    "Live counters and who has not arrived",
    response=contracts.Counters,
    errors=NOT_ASSIGNED,
)
def counters(session_id: int) -> contracts.Counters:
    desk_session = _readable(session_id)
    return contracts.Counters.model_validate(
        {**session_counters(desk_session), "not_arrived": not_arrived(desk_session)}
    )


@api.get("/sessions/<id:session_id>/search")
@operation(
    "search",
    "Search people booked at this session (first names and status only)",
    query=contracts.SearchQuery,
    response=contracts.SearchResults,
    errors=NOT_ASSIGNED,
)
def search(session_id: int, query: contracts.SearchQuery) -> contracts.SearchResults:
    desk_session = _readable(session_id)
    return contracts.SearchResults.model_validate(
        {"results": search_attendees(query.q, session=desk_session)}
    )


@api.post("/sessions/<id:session_id>/scan")
@operation(
    "scan",
    "Scan or type a code, or check in a search hit",
    body=contracts.ScanRequest,
    response=contracts.ScanResult,
    errors=OUT_OF_SCOPE,
)
def scan(session_id: int, body: contracts.ScanRequest) -> contracts.ScanResult:
    result = scan_ticket(
        body.code,
        attendee_id=body.attendee_id,
        method=CheckInMethod.SCAN if body.code else CheckInMethod.SEARCH,
        override_reason=body.override_reason,
        session=db.get_or_404(Occurrence, session_id),
        **_write(body),
    )
    return contracts.ScanResult.model_validate(result)


@api.post("/sessions/<id:session_id>/household")
@operation(
    "household",
    "Check in those present of a household",
    body=contracts.HouseholdRequest,
    response=contracts.ScanResult,
    errors=OUT_OF_SCOPE,
)
def household(session_id: int, body: contracts.HouseholdRequest) -> contracts.ScanResult:
    result = check_in_household(
        body.code,
        body.attendee_ids,
        override_reason=body.override_reason,
        session=db.get_or_404(Occurrence, session_id),
        **_write(body),
    )
    return contracts.ScanResult.model_validate(result)


@api.post("/sessions/<id:session_id>/walk-ins")
@operation(
    "walkIn",
    "Register a walk-in",
    body=contracts.WalkInRequest,
    response=contracts.ScanResult,
    status=201,
    errors=OUT_OF_SCOPE,
)
def walk_in(session_id: int, body: contracts.WalkInRequest) -> contracts.ScanResult:
    result = record_desk_walk_in(
        db.get_or_404(Occurrence, session_id),
        first_name=body.first_name or "",
        age_band=body.age_band,
        area_id=body.area_id,
        is_resident=body.is_resident,
        **_write(body),
    )
    return contracts.ScanResult.model_validate(result)


@api.post("/sessions/<id:session_id>/headcount")
@operation(
    "headcount",
    "Count anonymous people",
    body=contracts.HeadcountRequest,
    response=contracts.ScanResult,
    status=201,
    errors={
        **OUT_OF_SCOPE,
        422: "A rule refused: invalid_age_band, or too_many_at_once (more people than one "
        "tap may count)",
    },
)
def headcount(session_id: int, body: contracts.HeadcountRequest) -> contracts.ScanResult:
    result = record_desk_headcount(
        db.get_or_404(Occurrence, session_id),
        age_band=body.age_band,
        count=body.count,
        **_write(body),
    )
    return contracts.ScanResult.model_validate(result)


@api.post("/sessions/<id:session_id>/undo")
@operation(
    "undo",
    "Undo a check-in (same desk, 15 minutes)",
    body=contracts.UndoRequest,
    response=contracts.ScanResult,
    errors=OUT_OF_SCOPE,
)
def undo(session_id: int, body: contracts.UndoRequest) -> contracts.ScanResult:
    result = undo_check_in(
        session=db.get_or_404(Occurrence, session_id),
        check_in_id=body.check_in_id,
        target_client_id=str(body.target_client_id) if body.target_client_id else None,
        target_attendee_id=body.target_attendee_id,
        **_write(body),
    )
    return contracts.ScanResult.model_validate(result)


def _queued(
    item: contracts.ScanItem
    | contracts.HouseholdItem
    | contracts.WalkInItem
    | contracts.HeadcountItem
    | contracts.UndoItem,
):
    """A queue item as the sync service takes it."""
    fields = item.model_dump(exclude={"client_id"}, exclude_none=True)
    if "target_client_id" in fields:
        fields["target_client_id"] = str(fields["target_client_id"])
    return SyncItem(client_id=str(item.client_id), **fields)


@api.post("/sessions/<id:session_id>/sync")
@operation(
    "sync",
    "Apply an offline queue in the order things happened",
    body=contracts.SyncRequest,
    response=contracts.SyncResults,
    errors={
        403: "Not allowed: forbidden, or not_assigned (a volunteer or desk link at another "
        "activity). An item recorded outside the session's desk window is answered in the "
        "results with outside_desk_window",
    },
)
def sync(session_id: int, body: contracts.SyncRequest) -> contracts.SyncResults:
    results = sync_scans(
        [_queued(item) for item in body.items],
        session=db.get_or_404(Occurrence, session_id),
        **_actor(),
    )
    return contracts.SyncResults(results=[contracts.ScanResult.model_validate(r) for r in results])


@api.post("/sessions/<id:session_id>/feedback")
@operation(
    "feedback",
    "One kiosk smiley; the same device must pause 3 s between taps",
    body=contracts.FeedbackRequest,
    response=contracts.FeedbackRecorded,
    status=201,
    errors={**OUT_OF_SCOPE, 429: "Tapped too fast (too_fast)"},
)
def feedback(session_id: int, body: contracts.FeedbackRequest) -> contracts.FeedbackRecorded:
    record_kiosk_feedback(
        db.get_or_404(Occurrence, session_id),
        score=body.score,
        client_id=str(body.client_id),
        **_actor(),
    )
    return contracts.FeedbackRecorded()
