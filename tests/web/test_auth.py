import pytest
from flask import Flask

from checkin.blueprints.auth import role_required
from checkin.extensions import db
from tests.factories import PASSWORD, make_user
from tests.web.helpers import csrf_token, login


@pytest.fixture
def app(app: Flask) -> Flask:
    """The app with two extra routes guarded like real staff and admin pages."""

    @app.route("/_test/staff")
    @role_required("staff")
    def staff_only():
        return "staff page"

    @app.route("/_test/admin")
    @role_required("admin")
    def admin_only():
        return "admin page"

    return app


@pytest.fixture
def users(app):
    users = {role: make_user(role) for role in ("admin", "staff", "volunteer")}
    db.session.commit()
    return users


def test_login_with_right_password_then_logout(client, users):
    response = login(client, users["staff"].email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/_test/staff").status_code == 200

    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/_test/staff").status_code == 302  # back to the login page


def test_wrong_password_shows_translated_error_and_keeps_email(client, users):
    response = login(client, users["staff"].email, "wrong password!")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "forkert" in html  # Danish by default
    assert f'value="{users["staff"].email}"' in html
    assert client.get("/_test/staff").status_code == 302


def test_email_is_case_insensitive(client, users):
    response = login(client, users["admin"].email.upper(), PASSWORD)
    assert response.status_code == 302


def test_inactive_user_cannot_log_in(client, users):
    users["staff"].active = False
    db.session.commit()
    assert login(client, users["staff"].email, PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("role", "staff_status", "admin_status"),
    [("volunteer", 403, 403), ("staff", 200, 403), ("admin", 200, 200)],
)
def test_role_required_ranks_roles(client, users, role, staff_status, admin_status):
    login(client, users[role].email, PASSWORD)
    assert client.get("/_test/staff").status_code == staff_status
    assert client.get("/_test/admin").status_code == admin_status


def test_anonymous_is_sent_to_login_with_next(client, users):
    response = client.get("/_test/admin")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_never_redirects_off_site(client, users):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=https://evil.example/",
        data={"csrf_token": token, "email": users["staff"].email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/staff/"  # where staff land (tests/web/test_landing.py)


def test_login_without_csrf_token_is_refused(client, users):
    response = client.post("/login", data={"email": users["staff"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formularen" in response.get_data(as_text=True)


def test_create_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ny@Example.org",
            "--name",
            "Ny",
            "--role",
            "volunteer",
            "--password",
            "long enough pw",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "volunteer ny@example.org" in result.output
    again = runner.invoke(
        args=[
            "create-user",
            "--email",
            "ny@example.org",
            "--name",
            "Ny",
            "--role",
            "staff",
            "--password",
            "long enough pw",
        ],
    )
    assert again.exit_code != 0
