"""The foundation as a person meets it: the demo calendar, the login, the error pages."""

import pytest
from playwright.sync_api import Page, expect

from checkin.demo import DEMO_LOGINS, load_demo
from checkin.services import clock
from tests.browser.helpers import LiveServer, assert_accessible


@pytest.fixture(scope="module", autouse=True)
def demo(live_server: LiveServer) -> None:
    live_server.seed(lambda: load_demo(at=clock.now()) and None)


def test_home_lists_demo_sessions_and_is_accessible(live_server: LiveServer, phone_page: Page):
    phone_page.goto(live_server.url + "/")
    expect(phone_page.locator("html")).to_have_attribute("lang", "da")
    expect(phone_page.locator("h1")).to_have_text("Aktiviteter i Randers Nordby")
    assert phone_page.locator("main h2").count() >= 3  # several days with sessions
    assert phone_page.locator("main h3").count() >= 5
    assert_accessible(phone_page)


def test_skip_link_moves_focus_to_main(live_server: LiveServer, phone_page: Page):
    phone_page.goto(live_server.url + "/")
    phone_page.keyboard.press("Tab")
    skip = phone_page.locator(".skip-link")
    expect(skip).to_be_focused()
    phone_page.keyboard.press("Enter")
    assert phone_page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("role", ["admin", "staff", "volunteer"])
def test_demo_logins_work(live_server: LiveServer, tablet_page: Page, role: str):
    email, password = DEMO_LOGINS[role]
    tablet_page.goto(live_server.url + "/login")
    assert_accessible(tablet_page)
    tablet_page.get_by_label("E-mail").fill(email)
    tablet_page.get_by_label("Adgangskode").fill(password)
    tablet_page.get_by_role("button", name="Log ind").click()
    expect(tablet_page.locator(".flash")).to_contain_text("Velkommen")
    expect(tablet_page.get_by_role("button", name="Log ud")).to_be_visible()
    # Each role lands where it works, and the header shows the way to the desk (issue 11, 3).
    landing = "/desk/" if role == "volunteer" else "/staff/"
    expect(tablet_page).to_have_url(live_server.url + landing)
    expect(tablet_page.locator("#header-desk")).to_have_attribute("href", "/desk/")


def test_wrong_password_is_explained_next_to_the_field(live_server: LiveServer, phone_page: Page):
    phone_page.goto(live_server.url + "/login")
    phone_page.get_by_label("E-mail").fill("admin@nordby.example")
    phone_page.get_by_label("Adgangskode").fill("not the password")
    phone_page.get_by_role("button", name="Log ind").click()
    password = phone_page.get_by_label("Adgangskode")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(phone_page.get_by_label("E-mail")).to_have_value("admin@nordby.example")
    assert_accessible(phone_page)


def test_english_and_error_page(live_server: LiveServer, phone_page: Page):
    phone_page.goto(live_server.url + "/")
    phone_page.get_by_role("link", name="English").click()
    expect(phone_page.locator("html")).to_have_attribute("lang", "en")
    expect(phone_page.locator("h1")).to_have_text("Activities in Randers Nordby")
    response = phone_page.goto(live_server.url + "/no-such-page")
    assert response is not None and response.status == 404
    expect(phone_page.locator("h1")).to_have_text("Page not found")
    assert_accessible(phone_page)


def test_pages_run_under_the_content_security_policy(live_server: LiveServer, phone_page: Page):
    """Every asset is ours and no script is inline: the browser reports no violation."""
    problems: list[str] = []
    phone_page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    for path in ("/", "/login", "/my-bookings", "/privacy"):
        response = phone_page.goto(live_server.url + path)
        assert response is not None
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    first_activity = phone_page.goto(live_server.url + "/")
    assert first_activity is not None
    phone_page.locator("main h3 a").first.click()
    phone_page.wait_for_load_state("networkidle")
    assert problems == []
