"""Every route, enumerated from the URL map: roles checked and CSRF required where they must be.

A new route is covered the day it is added; an exception must be listed here, on purpose.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from checkin.extensions import db
from tests.factories import PASSWORD, make_user
from tests.web.helpers import csrf_token, login

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

ARGUMENT_VALUES = {"slug": "x", "token": "x", "code": "X", "fmt": "csv"}
# Pages for residents, the login and the tablet's desk-link door: no account needed.
PUBLIC_PREFIXES = ("/activities/", "/b/", "/t/", "/language/", "/calendar.ics")
PUBLIC_EXACT = {"/", "/privacy", "/accessibility", "/my-bookings", "/login", "/logout", "/healthz"}
PUBLIC_DESK = {"/desk/link/<token>", "/desk/sw.js"}
PUBLIC_API = {"/api/v1/openapi.json", "/api/v1/desk-links/open"}
# Static files, also with the version in the path (checkin/static_files.py).
STATIC_ENDPOINTS = {"static", "static_module"}
STAFF_ON_DESK = {
    "/desk/links",
    "/desk/links/<id:link_id>/revoke",
    "/desk/sessions/<id:session_id>/paper/enter",
}


def _url(rule: Rule) -> str:
    values = {arg: ARGUMENT_VALUES.get(arg, 1) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _rules(app, predicate) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in STATIC_ENDPOINTS and predicate(rule.rule)
    ]


def _is_public(path: str) -> bool:
    return (
        path in PUBLIC_EXACT
        or path in PUBLIC_DESK
        or path in PUBLIC_API
        or path.startswith(PUBLIC_PREFIXES)
    )


def _method(rule: Rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


@pytest.fixture
def users(app):
    made = {role: make_user(role) for role in ("admin", "staff", "volunteer")}
    db.session.commit()
    return {role: user.email for role, user in made.items()}


def test_every_non_public_page_needs_a_login(app, client):
    rules = _rules(app, lambda p: not _is_public(p) and not p.startswith("/api/"))
    assert len(rules) > 40
    # A valid token, so that the login check answers a POST rather than the CSRF check.
    token = csrf_token(client, "/login")
    for rule in rules:
        data = {"csrf_token": token} if _method(rule) == "POST" else None
        response = client.open(_url(rule), method=_method(rule), data=data)
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/login"), rule.rule


def test_every_api_route_but_the_document_and_the_door_needs_credentials(app, client):
    rules = _rules(app, lambda p: p.startswith("/api/") and p not in PUBLIC_API)
    assert len(rules) >= 11
    for rule in rules:
        response = client.open(_url(rule), method=_method(rule), json={})
        assert response.status_code == 401, rule.rule
        assert response.get_json()["error"]["code"] == "unauthorized", rule.rule


def test_volunteers_reach_the_desk_but_no_staff_page(app, client, users):
    login(client, users["volunteer"], PASSWORD)
    assert STAFF_ON_DESK.issubset(rule.rule for rule in app.url_map.iter_rules())
    staff_rules = _rules(app, lambda p: p.startswith("/staff/") or p in STAFF_ON_DESK)
    gets = [rule for rule in staff_rules if _method(rule) == "GET"]
    assert len(gets) > 20
    for rule in gets:
        assert client.get(_url(rule)).status_code == 403, rule.rule
    assert client.get("/desk/").status_code == 200


def test_only_admins_manage_users(app, client, users):
    login(client, users["staff"], PASSWORD)
    for rule in _rules(app, lambda p: p.startswith("/staff/users")):
        if _method(rule) == "GET":
            assert client.get(_url(rule)).status_code == 403, rule.rule
    admin = app.test_client()
    login(admin, users["admin"], PASSWORD)
    assert admin.get("/staff/users").status_code == 200


def test_every_form_post_without_a_csrf_token_is_refused(app, client, users):
    login(client, users["admin"], PASSWORD)
    rules = _rules(app, lambda p: not p.startswith("/api/"))
    posts = [rule for rule in rules if "POST" in rule.methods]
    assert len(posts) > 30
    for rule in posts:
        response = client.post(_url(rule), data={})
        assert response.status_code == 400, rule.rule
        assert "Formularen var udløbet" in response.get_data(as_text=True), rule.rule
