"""The rows and users the bad-input sweep (tests/web/sweep.py) meets: a session today with a
booking for every route (a route may cancel, erase or move what it is given), a past session,
desk links, and a client per kind of user whose login is put back before every request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.routing import Rule

from checkin.extensions import db
from checkin.models import Booking
from checkin.services import clock
from checkin.services.desk import create_desk_link, issue_api_token
from checkin.services.planning import save_target
from tests.conftest import RequestClient
from tests.factories import PASSWORD, make_activity, make_booking, make_session, make_user

LOGINS = ("volunteer", "staff", "admin")  # each may do what the one before may
ROLES = ("anonymous", "tablet", *LOGINS)
API_ROLES = (*ROLES, "desk")  # "desk": a bearer token from an opened desk link


# --- The world the hostile values meet ---------------------------------------------------------


@dataclass
class World:
    """Real rows, so that each route's view is reached; ``fresh()`` adds the per-route ones."""

    activity: Any
    users: dict[str, tuple[str, int]]
    victim: int
    desk_token: str
    desk_pin: str
    spare_link: int
    bearer: str
    rows: dict[str, Any] = field(default_factory=dict)
    made: list[dict[str, Any]] = field(default_factory=list)

    def fresh(self) -> None:
        """A session today and a booking on it for every route, as a route may cancel,
        erase or move what it is given."""
        session = make_session(self.activity, starts_in=timedelta(hours=1))
        n = len(self.made)
        # U+0001 as in a name stored before names refused control characters.
        booking = make_booking(session, people=[f"Amina {n}", f"Omar\x01 {n}"])
        target = save_target(
            activity=self.activity,
            metric="attendances",
            value=10,
            period_start=clock.now().date(),
            period_end=clock.now().date() + timedelta(days=30),
        )
        db.session.commit()
        self.rows = {"session": session.id, "booking": booking.id, "target": target.id}
        self.made.append(self.rows)

    def booking(self) -> Booking:
        return db.session.get_one(Booking, self.rows["booking"])


def make_world() -> World:
    activity = make_activity(name="Lektiecafé", default_capacity=20)
    make_session(activity, starts_in=timedelta(days=3))
    # A session that is over, with a no-show whose name holds U+0001 (stored before names
    # refused control characters): every export of the year lists it.
    past = make_session(activity, starts_in=timedelta(days=-2))
    make_booking(past, people=["Omar\x01"], at=clock.now() - timedelta(days=3))
    users = {role: make_user(role) for role in ("volunteer", "staff", "admin")}
    victim = make_user("volunteer")
    link, token, pin = create_desk_link("Tablet", by=None, at=clock.now())
    spare, _token, _pin = create_desk_link("Spare", by=None, at=clock.now())
    db.session.commit()
    world = World(
        activity=activity,
        users={role: (user.email, user.id) for role, user in users.items()},
        victim=victim.id,
        desk_token=token,
        desk_pin=pin,
        spare_link=spare.id,
        bearer=issue_api_token(link),
    )
    world.fresh()
    return world


def real_path_values(world: World, rule: Rule) -> dict[str, str]:
    """A real value for each argument of ``rule``, so that its view is reached."""
    booking = world.booking()
    attendee = booking.attendees[0]
    known = {
        "session_id": world.rows["session"],
        "activity_id": world.activity.id,
        "project_id": world.activity.project_id,
        "booking_id": booking.id,
        "attendee_id": attendee.id,
        "participant_id": attendee.participant_id,
        "target_id": world.rows["target"],
        "user_id": world.victim,
        "link_id": world.spare_link,
        "slug": world.activity.slug,
        "token": world.desk_token if rule.rule.startswith("/desk/") else booking.manage_token,
        "code": "en" if rule.rule.startswith("/language/") else attendee.ticket_code,
        "fmt": "xlsx",
    }
    missing = set(rule.arguments) - set(known)
    assert not missing, f"{rule.rule}: give the test a real value for {sorted(missing)}"
    return {name: str(known[name]) for name in rule.arguments}


# --- Users ---------------------------------------------------------------------------------------


@dataclass
class Visitor:
    """A client whose login is put back before each request (a route may log it out)."""

    app: Flask
    cookie: str | None
    headers: dict[str, str]

    def ready(self) -> FlaskClient:
        client = self.app.test_client()
        if self.cookie is not None:
            client.set_cookie("session", self.cookie)
        return client


def visitors(app: Flask, world: World) -> dict[str, Visitor]:
    app.test_client_class = RequestClient
    made: dict[str, Visitor] = {}
    for role in API_ROLES:
        client = app.test_client()
        if role in world.users:
            email, _id = world.users[role]
            response = client.post("/login", data={"email": email, "password": PASSWORD})
            assert response.status_code == 302, role
        elif role == "tablet":
            path = f"/desk/link/{world.desk_token}"
            assert client.post(path, data={"pin": world.desk_pin}).status_code == 303
        headers = {"Authorization": f"Bearer {world.bearer}"} if role == "desk" else {}
        if role in world.users or role == "tablet":
            # Cookie-authenticated API writes carry the CSRF token in a header.
            with client.session_transaction() as session:
                session["csrf_token"] = "bad-input-test"
            signer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
            headers["X-CSRFToken"] = signer.dumps("bad-input-test")
        cookie = client.get_cookie("session")
        made[role] = Visitor(app, cookie.value if cookie else None, headers)
    return made
