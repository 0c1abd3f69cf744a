"""The desk's pages: start (today's sessions), desk links with a PIN, the tablet desk working as
plain forms without JavaScript, the feedback kiosk, and the paper fallback.

Every form carries a fresh ``client_id``, so a form sent twice (a double tap, a reload) answers
the first result instead of acting twice. The desk's script (static/js/desk/desk.js) takes over
these forms and talks to the JSON API instead; the page gives it stable ids and ``data-``
attributes.
"""

from __future__ import annotations

import uuid
from functools import wraps

from flask import (
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from checkin import ROOT
from checkin.blueprints.auth import role_required
from checkin.blueprints.desk.api_routes import DESK_LINK_SESSION_KEY
from checkin.blueprints.desk.blueprint import bp
from checkin.extensions import db, limiter
from checkin.models import Area, DeskLink, Occurrence
from checkin.models.booking import AGE_BANDS
from checkin.services import clock
from checkin.services.ages import HEADCOUNT_GROUPS
from checkin.services.desk import (
    check_in_household,
    create_desk_link,
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
    revoke_desk_link,
    scan_ticket,
    search_attendees,
    session_counters,
    undo_check_in,
)
from checkin.services.errors import DomainError
from checkin.vocabulary import CheckInMethod


@bp.after_request
def _private(response):
    response.headers.setdefault("Cache-Control", "private, no-store")
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


def _client_id() -> str:
    raw = request.form.get("client_id", "")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return str(uuid.uuid4())


def _int(name: str) -> int | None:
    raw = request.form.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _session_or_404(session_id: int) -> Occurrence:
    desk_session = db.session.get(Occurrence, session_id) if session_id < 2**31 else None
    if desk_session is None:
        abort(404)
    return desk_session


def _render_desk(desk_session: Occurrence, *, result=None, status: int = 200):
    query = request.args.get("q", "").strip()[:100]
    actor = _actor()
    return render_template(
        "desk/desk.html",
        s=desk_session,
        counters=session_counters(desk_session),
        waiting=not_arrived(desk_session),
        recent=recent_check_ins(desk_session, by=actor["by"], desk=actor["desk"], at=actor["at"]),
        query=query,
        hits=search_attendees(query, session=desk_session) if query else None,
        result=result,
        age_bands=AGE_BANDS,
        groups=list(HEADCOUNT_GROUPS),
        areas=db.session.scalars(db.select(Area).order_by(Area.name)).all(),
        new_id=lambda: str(uuid.uuid4()),
    ), status


def _act(session_id: int, action):
    """Run one desk action from a form, commit once, show the desk with its result."""
    desk_session = _session_or_404(session_id)
    try:
        result = action(desk_session)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _render_desk(desk_session, status=422)
    db.session.commit()
    return _render_desk(desk_session, result=result)


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
    rows = list_desk_sessions(user=g.desk_user, at=clock.now())
    return render_template("desk/start.html", rows=rows)


@bp.route("/link/<token>", methods=["GET", "POST"], endpoint="open_link")
@limiter.limit("10 per minute", methods=["POST"])
def open_link(token: str):
    error = None
    if request.method == "POST":
        try:
            link = open_desk_link(token, request.form.get("pin", ""), at=clock.now())
        except DomainError as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            db.session.commit()
            session[DESK_LINK_SESSION_KEY] = link.id
            session.permanent = True
            flash(_("This tablet is now a check-in desk: %(name)s.", name=link.name), "success")
            return redirect(url_for("desk.start"), code=303)
    return render_template("desk/link.html", error=error), 422 if error else 200


@bp.get("/sessions/<int:session_id>", endpoint="desk")
@desk_required
def desk_page(session_id: int):
    return _render_desk(_session_or_404(session_id))


@bp.post("/sessions/<int:session_id>/scan", endpoint="scan")
@desk_required
def scan(session_id: int):
    code = request.form.get("code", "").strip()[:500]
    attendee_id = _int("attendee_id")
    return _act(
        session_id,
        lambda s: scan_ticket(
            code or None,
            attendee_id=None if code else attendee_id,
            method=CheckInMethod.SCAN if code else CheckInMethod.SEARCH,
            override_reason=request.form.get("override_reason", "")[:200] or None,
            session=s,
            occurred_at=None,
            client_id=_client_id(),
            **_actor(),
        ),
    )


@bp.post("/sessions/<int:session_id>/household", endpoint="household")
@desk_required
def household(session_id: int):
    ids = [int(v) for v in request.form.getlist("attendee_ids") if v.isdigit() and len(v) < 10]
    return _act(
        session_id,
        lambda s: check_in_household(
            request.form.get("code", "")[:500],
            ids,
            override_reason=request.form.get("override_reason", "")[:200] or None,
            session=s,
            occurred_at=None,
            client_id=_client_id(),
            **_actor(),
        ),
    )


@bp.post("/sessions/<int:session_id>/walk-in", endpoint="walk_in")
@desk_required
def walk_in(session_id: int):
    resident = request.form.get("is_resident")
    return _act(
        session_id,
        lambda s: record_desk_walk_in(
            s,
            first_name=request.form.get("first_name", "")[:80],
            age_band=request.form.get("age_band") or None,
            area_id=_int("area_id"),
            is_resident={"yes": True, "no": False}.get(resident or ""),
            occurred_at=None,
            client_id=_client_id(),
            **_actor(),
        ),
    )


@bp.post("/sessions/<int:session_id>/headcount", endpoint="headcount")
@desk_required
def headcount(session_id: int):
    return _act(
        session_id,
        lambda s: record_desk_headcount(
            s,
            age_band=request.form.get("group", ""),
            count=1,
            occurred_at=None,
            client_id=_client_id(),
            **_actor(),
        ),
    )


@bp.post("/sessions/<int:session_id>/undo", endpoint="undo")
@desk_required
def undo(session_id: int):
    return _act(
        session_id,
        lambda s: undo_check_in(
            session=s,
            check_in_id=_int("check_in_id"),
            client_id=_client_id(),
            **_actor(),
        ),
    )


@bp.route("/sessions/<int:session_id>/kiosk", methods=["GET", "POST"], endpoint="kiosk")
@desk_required
def kiosk(session_id: int):
    desk_session = _session_or_404(session_id)
    status = 200
    if request.method == "POST":
        try:
            record_kiosk_feedback(
                desk_session, score=_int("score") or 0, client_id=_client_id(), **_actor()
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "info" if error.code == "too_fast" else "error")
            status = 429 if error.code == "too_fast" else 422
        else:
            db.session.commit()
            flash(_("Thank you!"), "success")
            return redirect(url_for("desk.kiosk", session_id=session_id), code=303)
    return render_template("desk/kiosk.html", s=desk_session, client_id=str(uuid.uuid4())), status


@bp.get("/sessions/<int:session_id>/paper", endpoint="paper")
@desk_required
def paper(session_id: int):
    desk_session = _session_or_404(session_id)
    return render_template("desk/paper.html", s=desk_session, people=not_arrived(desk_session))


@bp.route("/sessions/<int:session_id>/paper/enter", methods=["GET", "POST"], endpoint="paper_enter")
@role_required("staff")
def paper_enter(session_id: int):
    desk_session = _session_or_404(session_id)
    if request.method == "POST":
        ids = [int(v) for v in request.form.getlist("attendee_ids") if v.isdigit() and len(v) < 10]
        try:
            added, present = record_paper_attendance(
                desk_session, ids, by=current_user, at=clock.now(), client_id=_client_id()
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(n)d ticks entered, %(m)d already present.", n=added, m=present), "success")
            return redirect(url_for("desk.paper_enter", session_id=session_id), code=303)
    return render_template(
        "desk/paper_enter.html",
        s=desk_session,
        people=not_arrived(desk_session),
        counters=session_counters(desk_session),
        client_id=str(uuid.uuid4()),
    )


@bp.route("/links", methods=["GET", "POST"], endpoint="links")
@role_required("staff")
def links():
    created = None
    if request.method == "POST":
        try:
            link, token, pin = create_desk_link(
                request.form.get("name", "")[:120], by=current_user, at=clock.now()
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            created = {
                "name": link.name,
                "url": url_for("desk.open_link", token=token, _external=True),
                "pin": pin,
            }
    return render_template("desk/links.html", links=list_desk_links(), created=created)


@bp.post("/links/<int:link_id>/revoke", endpoint="revoke_link")
@role_required("staff")
def revoke_link(link_id: int):
    link = db.session.get(DeskLink, link_id) if link_id < 2**31 else None
    if link is None:
        abort(404)
    revoke_desk_link(link, at=clock.now())
    db.session.commit()
    flash(_("The desk link %(name)s is revoked.", name=link.name), "success")
    return redirect(url_for("desk.links"), code=303)
