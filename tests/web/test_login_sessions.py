"""Logins that can be taken back: logging out, a new password and deactivation end every copy
of the session and "keep me logged in" cookies; and the cookies' own safety settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from checkin.extensions import db
from tests.conftest import RequestClient
from tests.factories import PASSWORD, make_user
from tests.web.helpers import csrf_token

STAFF_PAGE = "/staff/"


@pytest.fixture
def people(app):
    staff, admin = make_user("staff"), make_user("admin")
    db.session.commit()
    return {"staff": (staff.id, staff.email), "admin": (admin.id, admin.email)}


@pytest.fixture
def new_client(app):
    app.test_client_class = RequestClient
    return app.test_client


def log_in(client, email: str, *, remember: bool = False):
    data = {"csrf_token": csrf_token(client, "/login"), "email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, "logged in"
    return response


def log_out(client) -> None:
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302


def sent_to_login(client) -> bool:
    response = client.get(STAFF_PAGE)
    return response.status_code == 302 and "/login" in response.headers["Location"]


def replay(new_client, name: str, value: str):
    """A browser that has nothing but this one copied cookie."""
    thief = new_client()
    thief.set_cookie(name, value)
    return thief


def admin_posts(new_client, people, path: str, data: dict | None = None) -> None:
    admin = new_client()
    log_in(admin, people["admin"][1])
    token = csrf_token(admin, f"/staff/users/{people['staff'][0]}")
    fields = {"csrf_token": token, **(data or {})}
    response = admin.post(f"/staff/users/{people['staff'][0]}/{path}", data=fields)
    assert response.status_code == 303


def test_a_session_cookie_copied_before_logout_is_dead_after_it(client, new_client, people):
    log_in(client, people["staff"][1])
    assert client.get(STAFF_PAGE).status_code == 200
    copied = client.get_cookie("session").value
    assert not sent_to_login(replay(new_client, "session", copied))  # the copy works ...
    log_out(client)
    assert sent_to_login(replay(new_client, "session", copied))  # ... until the logout
    log_in(client, people["staff"][1])  # logging in again works
    assert client.get(STAFF_PAGE).status_code == 200


def test_a_remember_cookie_copied_before_logout_is_dead_after_it(client, new_client, people):
    log_in(client, people["staff"][1], remember=True)
    copied = client.get_cookie("remember_token").value
    assert not sent_to_login(replay(new_client, "remember_token", copied))
    log_out(client)
    assert sent_to_login(replay(new_client, "remember_token", copied))


def test_a_new_password_ends_every_session(client, new_client, people):
    log_in(client, people["staff"][1], remember=True)
    copied = client.get_cookie("remember_token").value
    admin_posts(new_client, people, "password", {"pw-password": "a new password 2026"})
    assert sent_to_login(replay(new_client, "remember_token", copied))
    assert sent_to_login(client)  # the staff member's own browser too


def test_deactivation_ends_the_live_session_and_reactivation_does_not_revive_it(
    client, new_client, people
):
    log_in(client, people["staff"][1], remember=True)
    copied = client.get_cookie("remember_token").value
    admin_posts(new_client, people, "active")  # deactivate
    assert sent_to_login(client)
    admin_posts(new_client, people, "active")  # activate again
    assert sent_to_login(client)
    assert sent_to_login(replay(new_client, "remember_token", copied))


def _set_cookies(response) -> dict[str, str]:
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0]
        cookies[name] = header
    return cookies


def test_cookies_are_lax_and_remembered_for_a_month(client, people):
    cookies = _set_cookies(log_in(client, people["staff"][1], remember=True))
    for name in ("session", "remember_token"):
        assert "SameSite=Lax" in cookies[name] and "HttpOnly" in cookies[name]
        assert "Secure" not in cookies[name]  # tests are not production
    expires = cookies["remember_token"].split("Expires=", 1)[1].split(";", 1)[0]
    lifetime = parsedate_to_datetime(expires) - datetime.now(UTC)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)


class TestProduction:
    @pytest.fixture
    def app_config(self):
        return {"TESTING": False, "PUBLIC_BASE_URL": "https://checkin.example.dk"}

    def test_cookies_are_secure_and_https_is_required(self, client, people):
        response = client.get("/login")
        assert response.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains"
        )
        cookies = _set_cookies(log_in(client, people["staff"][1], remember=True))
        assert "Secure" in cookies["session"] and "Secure" in cookies["remember_token"]


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
