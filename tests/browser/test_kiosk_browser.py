"""The feedback kiosk on a tablet is locked (issue 11, defect 8): it shows only the faces (drawn
as SVG), a tap or the back button never leads to names, and leaving needs the volunteer: the
lock in the corner held for two seconds, then the password (a desk link's tablet: its PIN)."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser.helpers import LiveServer, assert_accessible
from tests.factories import PASSWORD, make_activity, make_session, make_user


def _seed() -> dict:
    """A session going on now (the desk's window) and a volunteer."""
    session = make_session(make_activity(name="Kiosk-café"), starts_in=timedelta(minutes=-30))
    return {"session_id": session.id, "email": make_user("volunteer").email}


def test_the_kiosk_shows_only_faces_and_leaving_needs_a_long_press_and_the_password(
    live_server: LiveServer, tablet_page: Page
):
    page = tablet_page
    seeded = live_server.seed(_seed)
    desk = f"{live_server.url}/desk/sessions/{seeded['session_id']}"
    kiosk = f"{desk}/kiosk"
    page.goto(live_server.url + "/login")
    page.fill("#email", seeded["email"])
    page.fill("#password", PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/desk/")

    page.goto(desk)
    page.get_by_role("link", name="Smiley-skærm").click()
    expect(page).to_have_url(kiosk)
    expect(page.locator(".smiley svg.face")).to_have_count(5)
    expect(page.locator("header, footer, nav")).to_have_count(0)
    expect(page.locator("a:not(.skip-link):not(#kiosk-exit)")).to_have_count(0)
    expect(page.get_by_text("Tilbage til check-in")).to_have_count(0)
    assert_accessible(page)

    # A child: taps on the lock, the back button, the desk's address. Always the faces.
    page.locator("#kiosk-exit").tap()
    page.locator("#kiosk-exit").click()
    page.wait_for_timeout(2500)
    expect(page).to_have_url(kiosk)
    expect(page.locator("#kiosk-leave")).to_have_count(0)
    page.go_back()
    expect(page).to_have_url(kiosk)
    page.goto(desk)
    expect(page).to_have_url(kiosk)
    expect(page.locator("#desk")).to_have_count(0)

    # The volunteer holds the lock for two seconds, then gives the password.
    box = page.locator("#kiosk-exit").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(2300)
    page.mouse.up()
    expect(page.locator("#kiosk-leave")).to_be_visible()
    assert_accessible(page)
    page.fill("#secret", "not the password")
    page.locator("#kiosk-leave button[type=submit]").click()
    expect(page.locator("#secret-error")).to_be_visible()
    page.goto(desk)
    expect(page).to_have_url(kiosk)  # still locked

    page.goto(kiosk + "?leave=1")
    page.fill("#secret", PASSWORD)
    page.locator("#kiosk-leave button[type=submit]").click()
    expect(page).to_have_url(desk)
    expect(page.locator("#desk")).to_be_visible()
