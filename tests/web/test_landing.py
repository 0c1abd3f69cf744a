"""Where a login lands, and the header's way to the desk (issue 11, defect 3): a volunteer who
logged in landed on the public calendar with no link to the desk, and /staff/ is 403 for them."""

import pytest

from checkin.extensions import db
from tests.factories import PASSWORD, make_user
from tests.web.helpers import csrf_token, login


@pytest.fixture
def users(app):
    users = {role: make_user(role) for role in ("admin", "staff", "volunteer")}
    db.session.commit()
    return users


@pytest.mark.parametrize(
    ("role", "landing"), [("volunteer", "/desk/"), ("staff", "/staff/"), ("admin", "/staff/")]
)
def test_each_role_lands_where_it_works(client, users, role, landing):
    response = login(client, users[role].email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == landing
    assert client.get(landing).status_code == 200
    # Visiting the login page again while signed in goes there too.
    assert client.get("/login").headers["Location"] == landing


def test_a_same_site_next_is_kept(client, users):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=/desk/links",
        data={"csrf_token": token, "email": users["staff"].email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/desk/links"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "desk/",
    ],
)
def test_an_off_site_next_lands_by_role(client, users, target):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"csrf_token": token, "email": users["volunteer"].email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/desk/"


@pytest.mark.parametrize("role", ["volunteer", "staff", "admin"])
def test_the_header_shows_the_desk_to_every_signed_in_role(client, users, role):
    login(client, users[role].email, PASSWORD)
    html = client.get("/").get_data(as_text=True)  # the public calendar
    assert 'id="header-desk" href="/desk/">Check-in</a>' in html  # Danish by default
    assert ('id="header-staff" href="/staff/">Overblik</a>' in html) == (role != "volunteer")


def test_the_header_shows_no_desk_to_residents(client, users):
    html = client.get("/").get_data(as_text=True)
    assert "header-desk" not in html
    assert "header-staff" not in html


def test_the_header_links_are_translated(client, users):
    login(client, users["staff"].email, PASSWORD)
    client.get("/language/en?next=/")
    html = client.get("/").get_data(as_text=True)
    assert 'id="header-desk" href="/desk/">Check-in desk</a>' in html
    assert 'id="header-staff" href="/staff/">Dashboard</a>' in html
