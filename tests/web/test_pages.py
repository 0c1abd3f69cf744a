from datetime import timedelta

import pytest
from flask import Flask

from tests.factories import make_activity, make_session


@pytest.fixture
def app(app: Flask) -> Flask:
    @app.route("/_test/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.route("/api/v1/_test/boom")
    def api_boom():
        raise RuntimeError("secret internals")

    return app


def test_home_lists_upcoming_sessions_with_seats_in_words(client, app, frozen_clock):
    football = make_activity(name="Pigefodbold", default_capacity=20)
    make_session(football, starts_in=timedelta(days=1))
    dinner = make_activity(name="Fællesspisning", default_capacity=2)
    full = make_session(dinner, starts_in=timedelta(days=3))
    full.seats_taken = 2
    open_cafe = make_activity(name="Jobcafé", signup_required=False)
    make_session(open_cafe, starts_in=timedelta(days=2), capacity=None)
    make_session(football, starts_in=timedelta(days=-1))  # already over: not listed
    from checkin.extensions import db

    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert html.count("Pigefodbold") == 1
    assert "20 pladser tilbage" in html
    assert "Fuldt: skriv dig på ventelisten" in html
    assert "Åbent, ingen tilmelding" in html
    assert html.index("Pigefodbold") < html.index("Jobcafé") < html.index("Fællesspisning")


def test_pages_default_to_danish_and_switch_to_english(client):
    assert '<html lang="da" dir="ltr">' in client.get("/").get_data(as_text=True)
    response = client.get("/language/en?next=/privacy")
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy"
    html = client.get("/privacy").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "How we handle your information" in html


def test_browser_language_is_honoured_but_choice_wins(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in html
    client.get("/language/da")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="da"' in html


def test_unknown_language_is_not_found(client):
    assert client.get("/language/xx").status_code == 404


def test_language_switch_refuses_off_site_next(client):
    response = client.get("/language/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_footer_links_privacy_and_accessibility(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in html
    assert 'href="/accessibility"' in html
    assert client.get("/accessibility").status_code == 200


def test_404_is_friendly_and_translated(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)


def test_500_shows_no_stack_trace(client):
    response = client.get("/_test/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Der gik noget galt hos os" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


def test_api_errors_are_json_with_stable_code(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    response = client.get("/api/v1/_test/boom")
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"]["code"] == "internal_server_error"
    assert "secret" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "title", "text"),
    [
        ("da", "Det kan ikke lade sig gøre her", "Gå tilbage og prøv igen."),
        ("en", "That is not possible here", "Please go back and try again."),
    ],
)
def test_405_is_friendly_and_translated(client, lang, title, text):
    client.get(f"/language/{lang}")
    response = client.post("/privacy")  # a page that is only read
    html = response.get_data(as_text=True)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.mimetype == "text/html"
    assert f'<html lang="{lang}"' in html
    assert f"<h1>{title}</h1>" in html
    assert f"<p>{text}</p>" in html
    assert "Traceback" not in html and "MethodNotAllowed" not in html


def test_405_under_the_api_is_json(client):
    response = client.delete("/api/v1/openapi.json", headers={"Accept-Language": "en"})
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "error": {"code": "method_not_allowed", "message": "That is not possible here"}
    }


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_429_is_friendly_and_keeps_retry_after(client, app_config):
    statuses = [client.post("/login", data={}).status_code for _ in range(11)]
    assert statuses[-1] == 429
    response = client.post("/login", data={})
    assert "For mange forsøg" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers
