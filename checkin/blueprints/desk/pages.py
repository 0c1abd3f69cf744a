"""The desk's pages: start (today's sessions), desk links with a PIN, the tablet desk working as
plain forms without JavaScript, the feedback kiosk, and the paper fallback.

Every form carries a fresh ``client_id``, so a form sent twice (a double tap, a reload) answers
the first result instead of acting twice. A desk form is parsed with the same contract as its
JSON API twin (``contracts``), and the request boundary commits; a refusal is shown in the page
(``form_errors``). The desk's script (static/js/desk/desk.js) takes these forms over and talks to
the JSON API; the page gives it stable ids and ``data-`` attributes.
"""

from __future__ import annotations

import uuid
from functools import wraps
from typing import Any

from flask import (
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from checkin import ROOT
from checkin.blueprints.auth import role_required
from checkin.blueprints.desk import contracts
from checkin.blueprints.desk.api_routes import DESK_LINK_SESSION_KEY
from checkin.blueprints.desk.blueprint import bp
from checkin.blueprints.form_errors import refusal_shown
from checkin.errors import refusal_status
from checkin.extensions import db, limiter
from checkin.models import Activity, Area, DeskLink, Occurrence
from checkin.models.booking import AGE_BANDS
from checkin.services import clock
from checkin.services.ages import HEADCOUNT_GROUPS
from checkin.services.desk import (
    check_in_household,
    create_desk_link,
    desk_refusal,
    households_of,
    leave_kiosk,
    list_desk_links,
    list_desk_sessions,
    not_arrived,
    open_desk_link,
    open_desk_link_id,
    recent_check_ins,
    record_desk_headcount,
    record_desk_walk_in,
    record_kiosk_feedback,
    record_paper_attendance,
    require_assigned,
    revoke_desk_link,
    scan_ticket,
    search_attendees,
    session_counters,
    undo_check_in,
    unlock_desk_link,
)
from checkin.services.planning import active_activities
from checkin.vocabulary import AGE_UNKNOWN, CheckInMethod

# A form's field that does not parse, worded for the volunteer (else a general message).
FORM_MESSAGES = {"attendee_ids": _l("Choose people from this household.")}
LINK_MESSAGES = {
    "pin": _l("The PIN is wrong."),
    "token": _l("This desk link is not valid. Ask staff for a new one."),
}


@bp.after_request
def _private(response):
    response.headers.setdefault("Referrer-Policy", "no-referrer")  # desk links are secrets
    return response


def desk_required(view):
    """A volunteer (or staff, admin) logged in, or a tablet holding an opened desk link."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        g.desk_user, g.desk_link = None, None
        if current_user.is_authenticated and current_user.has_role("volunteer"):
            g.desk_user = current_user._get_current_object()
        else:
            g.desk_link = open_desk_link_id(session.get(DESK_LINK_SESSION_KEY))
            if g.desk_link is None:
                return role_required("volunteer")(view)(*args, **kwargs)
        return view(*args, **kwargs)

    return wrapped


def _actor() -> dict:
    return {"by": g.desk_user, "desk": g.desk_link, "at": clock.now()}


def _posted(*, lists: tuple[str, ...] = (), rename: dict[str, str] | None = None) -> dict:
    """The posted form as a contract's input: without the CSRF token and without blank fields
    (a form cannot send null), ``lists`` kept as lists, fields renamed as ``rename`` says."""
    data: dict[str, Any] = {}
    for name in request.form:
        values = [v for v in request.form.getlist(name) if v.strip()]
        if name == "csrf_token" or not (values or name in lists):
            continue
        data[(rename or {}).get(name, name)] = values if name in lists else values[0]
    return data


def _write(body: contracts.Write) -> dict:
    return {"client_id": str(body.client_id), "occurred_at": body.occurred_at, **_actor()}


def _closed_page(desk_session: Occurrence):
    """The page a volunteer or desk link sees instead of the desk (or kiosk) of a session it may
    not write to now, saying why (``desk.scope``); None when it may."""
    refusal = desk_refusal(desk_session, **_actor())
    if refusal is None:
        return None
    page = render_template("desk/closed.html", s=desk_session, message=refusal.message)
    return page, refusal_status(refusal.code)


def _render_desk(desk_session: Occurrence, *, result=None, status: int = 200):
    query = request.args.get("q", "").strip()[:100]
    actor = _actor()
    return render_template(
        "desk/desk.html",
        s=desk_session,
        counters=session_counters(desk_session),
        waiting=households_of(not_arrived(desk_session)),
        recent=recent_check_ins(desk_session, by=actor["by"], desk=actor["desk"], at=actor["at"]),
        query=query,
        hits=search_attendees(query, session=desk_session) if query else None,
        result=result,
        age_bands=AGE_BANDS,
        age_unknown=AGE_UNKNOWN,
        groups=list(HEADCOUNT_GROUPS),
        areas=db.session.scalars(db.select(Area).order_by(Area.name)).all(),
        new_id=lambda: str(uuid.uuid4()),
    ), status


def _act(session_id: int, contract: type[contracts.Write], action, **posted) -> Any:
    """Parse one desk form with its API contract (done now, at the desk), run the action and
    show the desk with its result, or with the refusal."""
    desk_session = db.get_or_404(Occurrence, session_id)
    closed = _closed_page(desk_session)
    if closed is not None:
        return closed
    with refusal_shown(messages=FORM_MESSAGES) as refusal:
        body = contract.model_validate({**_posted(**posted), "occurred_at": clock.now()})
        return _render_desk(desk_session, result=action(desk_session, body))
    return _render_desk(desk_session, status=refusal.status)


@bp.get("/sw.js", endpoint="service_worker")
def service_worker():
    """The desk's service worker, served from /desk/ so its default scope covers every desk
    page. Public (it holds no data) and revalidated by ETag, so a changed worker reaches the
    tablets on their next visit."""
    body = (ROOT / "static" / "js" / "desk" / "desk-sw.js").read_bytes()
    response = Response(body, mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/", endpoint="start")
@desk_required
def start():
    rows = list_desk_sessions(user=g.desk_user, desk=g.desk_link, at=clock.now())
    return render_template("desk/start.html", rows=rows)


@bp.route("/link/<token>", methods=["GET", "POST"], endpoint="open_link")
@limiter.limit("10 per minute", methods=["POST"])
def open_link(token: str):
    refusal = refusal_shown(inline=True, messages=LINK_MESSAGES)
    if request.method == "POST":
        with refusal:
            body = contracts.OpenDeskLinkRequest.model_validate({**_posted(), "token": token})
            link = open_desk_link(body.token, body.pin, at=clock.now())
            session[DESK_LINK_SESSION_KEY] = link.id
            session.permanent = True
            flash(_("This tablet is now a check-in desk: %(name)s.", name=link.name), "success")
            return redirect(url_for("desk.start"), code=303)
    return render_template("desk/link.html", error=refusal.message), refusal.status


@bp.get("/sessions/<id:session_id>", endpoint="desk")
@desk_required
def desk_page(session_id: int):
    desk_session = db.get_or_404(Occurrence, session_id)
    return _closed_page(desk_session) or _render_desk(desk_session)


@bp.post("/sessions/<id:session_id>/scan", endpoint="scan")
@desk_required
def scan(session_id: int):
    return _act(
        session_id,
        contracts.ScanRequest,
        lambda s, body: scan_ticket(
            body.code,
            attendee_id=body.attendee_id,
            method=CheckInMethod.SCAN if body.code else CheckInMethod.SEARCH,
            override_reason=body.override_reason,
            session=s,
            **_write(body),
        ),
    )


@bp.post("/sessions/<id:session_id>/household", endpoint="household")
@desk_required
def household(session_id: int):
    return _act(
        session_id,
        contracts.HouseholdRequest,
        lambda s, body: check_in_household(
            body.code,
            body.attendee_ids,
            override_reason=body.override_reason,
            session=s,
            **_write(body),
        ),
        lists=("attendee_ids",),
    )


@bp.post("/sessions/<id:session_id>/walk-in", endpoint="walk_in")
@desk_required
def walk_in(session_id: int):
    return _act(
        session_id,
        contracts.WalkInRequest,
        lambda s, body: record_desk_walk_in(
            s,
            first_name=body.first_name or "",
            age_band=body.age_band,
            area_id=body.area_id,
            is_resident=body.is_resident,
            **_write(body),
        ),
    )


@bp.post("/sessions/<id:session_id>/headcount", endpoint="headcount")
@desk_required
def headcount(session_id: int):
    return _act(
        session_id,
        contracts.HeadcountRequest,
        lambda s, body: record_desk_headcount(
            s, age_band=body.age_band, count=body.count, **_write(body)
        ),
        rename={"group": "age_band"},  # the buttons are named by group
    )


@bp.post("/sessions/<id:session_id>/undo", endpoint="undo")
@desk_required
def undo(session_id: int):
    return _act(
        session_id,
        contracts.UndoRequest,
        lambda s, body: undo_check_in(
            session=s,
            check_in_id=body.check_in_id,
            target_client_id=str(body.target_client_id) if body.target_client_id else None,
            target_attendee_id=body.target_attendee_id,
            **_write(body),
        ),
    )


# The session whose kiosk this browser is locked to (see ``_kiosk_lock``).
KIOSK_SESSION_KEY = "kiosk_session_id"
# What a locked browser may still reach: the kiosk itself and its way out, the files it loads,
# the login page (a login that ends while locked must be renewable) and the JSON API, which
# no one browses to.
KIOSK_OPEN_ENDPOINTS = frozenset(
    {"desk.kiosk", "desk.kiosk_leave", "desk.service_worker", "static", "static_module"}
    | {"auth.login"}
)


@bp.before_app_request
def _kiosk_lock():
    """A browser in kiosk mode shows the faces and nothing else until the volunteer leaves it
    (``kiosk_leave``): the back button or a typed address land on the kiosk again, so a child
    never reaches names or undo buttons."""
    locked = session.get(KIOSK_SESSION_KEY)
    if not isinstance(locked, int) or request.endpoint in KIOSK_OPEN_ENDPOINTS:
        return None
    if request.endpoint is None or request.blueprint == "api":
        return None
    return redirect(url_for("desk.kiosk", session_id=locked), code=303)


def _render_kiosk(desk_session: Occurrence, *, leaving: bool, error: str | None, status: int):
    page = render_template(
        "desk/kiosk.html",
        s=desk_session,
        client_id=str(uuid.uuid4()),
        leaving=leaving,
        error=error,
    )
    return page, status


@bp.route("/sessions/<id:session_id>/kiosk", methods=["GET", "POST"], endpoint="kiosk")
@desk_required
def kiosk(session_id: int):
    desk_session = db.get_or_404(Occurrence, session_id)
    if session.get(KIOSK_SESSION_KEY) != desk_session.id:
        closed = _closed_page(desk_session)  # a kiosk starts only while the desk is open
        if closed is not None:
            return closed
        session[KIOSK_SESSION_KEY] = desk_session.id
    # A child tapping again too soon is told gently, and the kiosk answers 429.
    refusal = refusal_shown(category_for={"too_fast": "info"})
    if request.method == "POST":
        with refusal:
            body = contracts.FeedbackRequest.model_validate(_posted())
            record_kiosk_feedback(
                desk_session, score=body.score, client_id=str(body.client_id), **_actor()
            )
            flash(_("Thank you!"), "success")
            return redirect(url_for("desk.kiosk", session_id=session_id), code=303)
    leaving = request.method == "GET" and request.args.get("leave") == "1"
    return _render_kiosk(desk_session, leaving=leaving, error=None, status=refusal.status)


@bp.post("/sessions/<id:session_id>/kiosk/leave", endpoint="kiosk_leave")
@limiter.limit("10 per minute")
@desk_required
def kiosk_leave(session_id: int):
    """The volunteer's way out of the kiosk: the desk link's PIN, or the login's password."""
    desk_session = db.get_or_404(Occurrence, session_id)
    refusal = refusal_shown(inline=True)
    with refusal:
        leave_kiosk(request.form.get("secret", "")[:200], **_actor())
        session.pop(KIOSK_SESSION_KEY, None)
        return redirect(url_for("desk.desk", session_id=session_id), code=303)
    return _render_kiosk(desk_session, leaving=True, error=refusal.message, status=refusal.status)


@bp.get("/sessions/<id:session_id>/paper", endpoint="paper")
@desk_required
def paper(session_id: int):
    desk_session = db.get_or_404(Occurrence, session_id)
    require_assigned(desk_session, by=g.desk_user, desk=g.desk_link)
    return render_template("desk/paper.html", s=desk_session, people=not_arrived(desk_session))


@bp.route("/sessions/<id:session_id>/paper/enter", methods=["GET", "POST"], endpoint="paper_enter")
@role_required("staff")
def paper_enter(session_id: int):
    desk_session = db.get_or_404(Occurrence, session_id)
    refusal = refusal_shown()
    if request.method == "POST":
        with refusal:
            body = contracts.PaperEntryForm.model_validate(_posted(lists=("attendee_ids",)))
            added, present = record_paper_attendance(
                desk_session,
                body.attendee_ids,
                by=current_user,
                at=clock.now(),
                client_id=str(body.client_id),
            )
            flash(_("%(n)d ticks entered, %(m)d already present.", n=added, m=present), "success")
            return redirect(url_for("desk.paper_enter", session_id=session_id), code=303)
    return render_template(
        "desk/paper_enter.html",
        s=desk_session,
        people=not_arrived(desk_session),
        counters=session_counters(desk_session),
        client_id=str(uuid.uuid4()),
    ), refusal.status


@bp.route("/links", methods=["GET", "POST"], endpoint="links")
@role_required("staff")
def links():
    created, refusal = None, refusal_shown()
    if request.method == "POST":
        with refusal:
            body = contracts.DeskLinkForm.model_validate(_posted())
            activity = db.get_or_404(Activity, body.activity_id) if body.activity_id else None
            link, token, pin = create_desk_link(
                body.name, by=current_user, at=clock.now(), activity=activity
            )
            created = {
                "name": link.name,
                "url": url_for("desk.open_link", token=token, _external=True),
                "pin": pin,
            }
    page = render_template(
        "desk/links.html", links=list_desk_links(), created=created, activities=active_activities()
    )
    return page, refusal.status


@bp.post("/links/<id:link_id>/revoke", endpoint="revoke_link")
@role_required("staff")
def revoke_link(link_id: int):
    link = db.get_or_404(DeskLink, link_id)
    revoke_desk_link(link, at=clock.now())
    flash(_("The desk link %(name)s is revoked.", name=link.name), "success")
    return redirect(url_for("desk.links"), code=303)


@bp.post("/links/<id:link_id>/unlock", endpoint="unlock_link")
@role_required("staff")
def unlock_link(link_id: int):
    link = db.get_or_404(DeskLink, link_id)
    unlock_desk_link(link, by=current_user, at=clock.now())
    flash(_("The desk link %(name)s is unlocked.", name=link.name), "success")
    return redirect(url_for("desk.links"), code=303)
