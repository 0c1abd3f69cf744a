"""The desk's JSON API under /api/v1, described by /api/v1/openapi.json.

Authentication: a desk token (``Authorization: Bearer <token>`` from POST /desk-links/open), or
the browser session (a logged-in volunteer, staff or admin, or a tablet that opened a desk link
page); cookie-authenticated writes need the CSRF token in ``X-CSRFToken``. Bearer requests carry
no ambient credentials, so the blueprint is exempt from Flask-WTF's form check and this module
enforces CSRF itself for cookies. Errors are ``{"error": {"code", "message", "fields"?}}``.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request, session
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from checkin.blueprints.desk import schema as S
from checkin.blueprints.desk.blueprint import api
from checkin.blueprints.desk.openapi import build_document
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
    scan_ticket,
    search_attendees,
    session_counters,
    sync_scans,
    undo_check_in,
)
from checkin.services.errors import DomainError
from checkin.vocabulary import CheckInMethod

csrf.exempt(api)
PUBLIC_ENDPOINTS = {"api.openapi", "api.open_link"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DESK_LINK_SESSION_KEY = "desk_link_id"


def api_error(status: int, code: str, message: str, **extra: Any):
    return jsonify(error={"code": code, "message": message, **extra}), status


@api.before_request
def _authenticate():
    """Who is at the desk: ``g.desk_user`` (a login) and/or ``g.desk_link`` (a tablet)."""
    g.desk_user, g.desk_link = None, None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        link = desk_link_for_api_token(header[7:].strip())
        if link is None:
            return api_error(401, "invalid_token", "The desk token is invalid, expired or revoked.")
        g.desk_link = link
        return None
    if current_user.is_authenticated:
        if not current_user.has_role("volunteer"):
            return api_error(403, "forbidden", "This account may not use the desk.")
        g.desk_user = current_user._get_current_object()
    else:
        g.desk_link = open_desk_link_id(session.get(DESK_LINK_SESSION_KEY))
        if g.desk_link is None:
            return api_error(401, "unauthorized", "Log in or open a desk link first.")
    if request.method not in SAFE_METHODS:
        try:
            validate_csrf(request.headers.get("X-CSRFToken"))
        except ValidationError:
            return api_error(400, "csrf_failed", "Send the CSRF token in X-CSRFToken.")
    return None


@api.after_request
def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _session_or_404(session_id: int) -> Occurrence | None:
    return db.session.get(Occurrence, session_id) if session_id <= S.MAX_ID else None


def _body(spec: S.Body) -> dict[str, Any]:
    return spec.parse(request.get_json(silent=True))


def _invalid(error: S.Invalid):
    return api_error(400, "invalid_request", "The request body is not valid.", fields=error.fields)


def _refused(error: DomainError):
    db.session.rollback()
    return api_error(422, error.code, str(error.message), field=error.field)


def _actor() -> dict[str, Any]:
    return {"by": g.desk_user, "desk": g.desk_link, "at": clock.now()}


def _run(session_id: int, spec: S.Body | None, action, *, status: int = 200):
    """Parse, call one service, commit once, answer JSON; the shared shape of every write."""
    desk_session = _session_or_404(session_id)
    if desk_session is None:
        return api_error(404, "not_found", "No such session.")
    try:
        data = _body(spec) if spec is not None else {}
        payload = action(desk_session, data)
    except S.Invalid as error:
        return _invalid(error)
    except DomainError as error:
        return _refused(error)
    db.session.commit()
    return jsonify(payload), status


@api.get("/openapi.json")
def openapi():
    return jsonify(build_document())


@api.post("/desk-links/open")
@limiter.limit("10 per minute")
def open_link():
    try:
        data = _body(S.OPEN_LINK)
        link = open_desk_link(data["token"], data["pin"], at=clock.now())
    except S.Invalid as error:
        return _invalid(error)
    except DomainError as error:
        db.session.rollback()
        return api_error(403, error.code, str(error.message))
    db.session.commit()
    return jsonify(
        token=issue_api_token(link),
        token_type="Bearer",
        expires_in=API_TOKEN_MAX_AGE,
        desk={"id": link.id, "name": link.name},
    )


@api.get("/sessions")
def sessions():
    rows = list_desk_sessions(user=g.desk_user, at=clock.now())
    return jsonify(
        sessions=[
            {
                "id": row.session.id,
                "activity": row.session.activity.name,
                "starts_at": row.session.starts_at.isoformat(),
                "ends_at": row.session.ends_at.isoformat(),
                "place": row.session.where,
                "capacity": row.session.capacity,
                "status": row.session.status,
                "assigned": row.assigned,
            }
            for row in rows
        ]
    )


@api.get("/sessions/<int:session_id>/tickets")
def tickets(session_id: int):
    return _run(session_id, None, lambda s, _d: offline_ticket_list(s, at=clock.now()))


@api.get("/sessions/<int:session_id>/counters")
def counters(session_id: int):
    return _run(
        session_id, None, lambda s, _d: {**session_counters(s), "not_arrived": not_arrived(s)}
    )


@api.get("/sessions/<int:session_id>/search")
def search(session_id: int):
    query = request.args.get("q", "")

    def action(desk_session, _data):
        try:
            S.F("str", required=True, max_length=100).parse(query)
        except ValueError as error:
            raise S.Invalid({"q": str(error)}) from error
        if not query.strip():
            raise S.Invalid({"q": "required"})
        return {"results": search_attendees(query, session=desk_session)}

    return _run(session_id, None, action)


@api.post("/sessions/<int:session_id>/scan")
def scan(session_id: int):
    def action(desk_session, data):
        if not data["code"] and data["attendee_id"] is None:
            raise S.Invalid({"code": "required"})
        return scan_ticket(
            data["code"],
            attendee_id=data["attendee_id"],
            method=CheckInMethod.SCAN if data["code"] else CheckInMethod.SEARCH,
            override_reason=data["override_reason"],
            session=desk_session,
            occurred_at=data["occurred_at"],
            client_id=data["client_id"],
            **_actor(),
        ).to_dict()

    return _run(session_id, S.SCAN, action)


@api.post("/sessions/<int:session_id>/household")
def household(session_id: int):
    def action(desk_session, data):
        return check_in_household(
            data["code"],
            data["attendee_ids"],
            override_reason=data["override_reason"],
            session=desk_session,
            occurred_at=data["occurred_at"],
            client_id=data["client_id"],
            **_actor(),
        ).to_dict()

    return _run(session_id, S.HOUSEHOLD, action)


@api.post("/sessions/<int:session_id>/walk-ins")
def walk_in(session_id: int):
    def action(desk_session, data):
        return record_desk_walk_in(
            desk_session,
            first_name=data["first_name"] or "",
            age_band=data["age_band"],
            area_id=data["area_id"],
            is_resident=data["is_resident"],
            occurred_at=data["occurred_at"],
            client_id=data["client_id"],
            **_actor(),
        ).to_dict()

    return _run(session_id, S.WALK_IN, action, status=201)


@api.post("/sessions/<int:session_id>/headcount")
def headcount(session_id: int):
    def action(desk_session, data):
        return record_desk_headcount(
            desk_session,
            age_band=data["age_band"],
            count=data["count"] or 1,
            occurred_at=data["occurred_at"],
            client_id=data["client_id"],
            **_actor(),
        ).to_dict()

    return _run(session_id, S.HEADCOUNT, action, status=201)


@api.post("/sessions/<int:session_id>/undo")
def undo(session_id: int):
    def action(desk_session, data):
        if data["check_in_id"] is None and data["target_client_id"] is None:
            raise S.Invalid({"check_in_id": "required"})
        return undo_check_in(
            session=desk_session,
            check_in_id=data["check_in_id"],
            target_client_id=data["target_client_id"],
            occurred_at=data["occurred_at"],
            client_id=data["client_id"],
            **_actor(),
        ).to_dict()

    return _run(session_id, S.UNDO, action)


def _sync_items(body: Any) -> list[SyncItem]:
    if not isinstance(body, dict) or set(body) != {"items"} or not isinstance(body["items"], list):
        raise S.Invalid({"items": "required"})
    if not 1 <= len(body["items"]) <= S.SYNC_MAX:
        raise S.Invalid({"items": "out_of_range"})
    items, errors = [], {}
    for index, raw in enumerate(body["items"]):
        try:
            data = S.SYNC_ITEM.parse(raw)
        except S.Invalid as error:
            errors.update({f"items[{index}].{name}": code for name, code in error.fields.items()})
            continue
        data["attendee_ids"] = data["attendee_ids"] or []
        data["count"] = data["count"] or 1
        items.append(SyncItem(**data))
    if errors:
        raise S.Invalid(errors)
    return items


@api.post("/sessions/<int:session_id>/sync")
def sync(session_id: int):
    def action(desk_session, _data):
        items = _sync_items(request.get_json(silent=True))
        results = sync_scans(items, session=desk_session, **_actor())
        return {"results": [result.to_dict() for result in results]}

    return _run(session_id, None, action)


@api.post("/sessions/<int:session_id>/feedback")
def feedback(session_id: int):
    def action(desk_session, data):
        record_kiosk_feedback(
            desk_session, score=data["score"], client_id=data["client_id"], **_actor()
        )
        return {"result": "recorded"}

    response = _run(session_id, S.FEEDBACK, action, status=201)
    if response[1] == 422 and response[0].get_json()["error"]["code"] == "too_fast":
        return response[0], 429
    return response
