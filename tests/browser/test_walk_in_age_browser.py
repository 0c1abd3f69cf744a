"""A walk-in's age never defaults on the tablet (issue 11, defect 4): "Tilføj person" without an
age saves nothing, and "Ved ikke" is stored as no band (counted as unknown), never 0-5."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Attendee, CheckIn
from tests.browser.helpers import LiveServer
from tests.factories import PASSWORD, make_activity, make_session, make_user


def _seed() -> dict:
    session = make_session(make_activity(name="Aldercafé"), starts_in=timedelta(minutes=-30))
    return {"session_id": session.id, "email": make_user("volunteer").email}


def _walk_in_bands(session_id: int) -> list[str | None]:
    rows = db.session.scalars(select(CheckIn).where(CheckIn.session_id == session_id))
    return [db.session.get(Attendee, row.attendee_id).age_band for row in rows]


def test_a_walk_in_needs_an_age_and_dont_know_is_unknown(live_server: LiveServer, tablet_page):
    page: Page = tablet_page
    seeded = live_server.seed(_seed)
    page.goto(live_server.url + "/login")
    page.fill("#email", seeded["email"])
    page.fill("#password", PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.goto(f"{live_server.url}/desk/sessions/{seeded['session_id']}")
    expect(page.locator("#desk")).to_have_attribute("data-js", "ready")

    expect(page.locator("#age_band")).to_have_value("")
    page.fill("#first_name", "Yusuf")
    page.locator("#walk-in-form button[type=submit]").click()  # "Tilføj person", no age
    page.wait_for_timeout(500)
    assert page.locator("#age_band").evaluate("el => !el.checkValidity()")
    expect(page.locator("#count-walk-ins")).to_have_text("0")
    assert live_server.seed(_walk_in_bands, seeded["session_id"]) == []

    page.select_option("#age_band", label="Ved ikke")
    page.locator("#walk-in-form button[type=submit]").click()
    expect(page.locator("#count-walk-ins")).to_have_text("1")
    expect(page.locator("#recent li").first).to_contain_text("Yusuf")
    assert live_server.seed(_walk_in_bands, seeded["session_id"]) == [None]
