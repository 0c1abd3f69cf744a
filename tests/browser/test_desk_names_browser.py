"""Issue 11, defect 6: three people called Ahmed at one door. The desk tells them apart by
birth year (never by contact data) and keeps a household together under one line, in the
script's list, search and household form, and on the page without JavaScript."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from checkin.services import clock
from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
from tests.browser.helpers import LiveServer
from tests.browser.test_desk_browser import _open_desk, _scan
from tests.factories import PASSWORD, make_activity, make_session, make_user

HOUSEHOLDS = [
    [("Ahmed", 2016), ("Sara", 2014)],
    [("Ahmed", 1980)],
    [("Ahmed", 2010)],
]


def _seed(households: list[list[tuple[str, int]]]) -> dict:
    activity = make_activity(name="Lektiecafé", default_capacity=30)
    session = make_session(activity, starts_in=timedelta(minutes=-15), hours=2)
    bookings = [
        create_booking(
            activity,
            sessions=[session],
            contact=ContactDetails(name="Kontakt Person", phone=f"+45 4000000{n}"),
            attendees=[AttendeeDetails(first_name=f, birth_year=y) for f, y in people],
            at=clock.now() - timedelta(days=1),
            info_text_version="test-1",
        )
        for n, people in enumerate(households)
    ]
    return {
        "session_id": session.id,
        "email": make_user("volunteer").email,
        "household_code": bookings[0].household_code,
        "sara_code": bookings[0].attendees[1].ticket_code,
    }


def _texts(page: Page, selector: str) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(selector).all_inner_texts()]


def test_people_of_one_name_are_told_apart_and_households_kept_together(
    live_server: LiveServer, tablet_page: Page
):
    page = tablet_page
    seeded = live_server.seed(_seed, HOUSEHOLDS)
    _open_desk(page, live_server, seeded)

    # The not-arrived list: a birth year beside each name, the household under one line.
    waiting = "#not-arrived li.person .person-name"
    expect(page.locator(waiting)).to_have_count(4)
    assert sorted(_texts(page, waiting)) == [
        "Ahmed f. 1980",
        "Ahmed f. 2010",
        "Ahmed f. 2016",
        "Sara f. 2014",
    ]
    group = page.locator("#not-arrived .household-group")
    expect(group).to_have_count(1)
    expect(group.locator(".household-line")).to_have_text("Husstand: Ahmed, Sara")
    assert _texts(page, "#not-arrived .household-group .person-name") == [
        "Ahmed f. 2016",
        "Sara f. 2014",
    ]
    html = page.content()
    assert "+45" not in html and "Kontakt" not in html  # no contact data tells them apart

    # Search: three hits, three different lines.
    page.fill("#q", "ahmed")
    page.press("#q", "Enter")
    hits = "#search-results li .person-name"
    expect(page.locator(hits)).to_have_count(3)
    assert sorted(_texts(page, hits)) == ["Ahmed f. 1980", "Ahmed f. 2010", "Ahmed f. 2016"]

    # The household's code: who came is ticked by name and year.
    _scan(page, seeded["household_code"])
    labels = _texts(page, "#household-form label .member-name")
    assert labels == ["Ahmed f. 2016", "Sara f. 2014"]

    # Sara arrives: she leaves the household group; the last one stays, as a plain row.
    _scan(page, seeded["sara_code"])
    expect(page.locator("#not-arrived-count")).to_have_text("3")
    expect(page.locator(waiting)).to_have_count(3)
    assert "Sara f. 2014" not in _texts(page, waiting)


def test_the_page_without_javascript_names_them_the_same_way(
    live_server: LiveServer, tablet_page: Page
):
    page = tablet_page
    seeded = live_server.seed(_seed, HOUSEHOLDS)
    page.context.route("**/*.js*", lambda route: route.abort())  # no script at all
    page.goto(live_server.url + "/login")
    page.fill("#email", seeded["email"])
    page.fill("#password", PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.goto(f"{live_server.url}/desk/sessions/{seeded['session_id']}")
    expect(page.locator("#not-arrived-count")).to_have_text("4")
    assert _texts(page, "#not-arrived .household-group .person-name") == [
        "Ahmed f. 2016",
        "Sara f. 2014",
    ]
    expect(page.locator("#not-arrived .household-line")).to_have_text("Husstand: Ahmed, Sara")
