"""A resident's whole sign-up journey on a phone, in Danish and in English: calendar, activity,
sign up a household of three, confirmation, "My bookings", manage link, cancel one person, and
the waiting household gets the seat."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Booking, Occurrence
from checkin.services import clock
from tests.browser.helpers import LiveServer, assert_accessible
from tests.factories import make_activity, make_area, make_booking, make_session


def _seed_activity(name: str) -> dict:
    area = make_area(f"Gl. Jennumparken {name}", departments=["Nordre"])
    activity = make_activity(
        name=name, default_capacity=3, description="Vi spiser sammen.", place="Nordbyhuset"
    )
    session = make_session(activity, starts_in=timedelta(days=1))
    return {
        "slug": activity.slug,
        "session_id": session.id,
        "department_id": area.departments[0].id,
    }


def _seed_waiting_household(session_id: int) -> str:
    session = db.session.get(Occurrence, session_id)
    waiting = make_booking(session, people=["Yusuf"], at=clock.now())
    assert [row.status for row in waiting.seat_rows] == ["waitlisted"]
    return waiting.manage_token


def _seat_statuses(token: str) -> list[str]:
    booking = db.session.scalars(select(Booking).where(Booking.manage_token == token)).one()
    return [row.status for row in booking.seat_rows]


def _fill_person(page: Page, index: int, first_name: str, year: str) -> None:
    page.fill(f"#attendees-{index}-first_name", first_name)
    page.fill(f"#attendees-{index}-birth_year", year)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_household_signs_up_manages_and_frees_a_seat(
    live_server: LiveServer, phone_page: Page, lang: str
):
    page = phone_page
    seeded = live_server.seed(_seed_activity, f"Fællesspisning {lang}")
    activity_path = f"/activities/{seeded['slug']}"

    # The calendar, in the chosen language.
    page.goto(f"{live_server.url}/language/{lang}?next=/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    link = page.locator(f'a[href="{activity_path}"]').first
    if link.count():
        link.click()
    else:  # the calendar does not link activities yet
        page.goto(live_server.url + activity_path)
    expect(page).to_have_url(re.compile(re.escape(activity_path)))
    expect(page.locator("h1")).to_have_text(f"Fællesspisning {lang}")
    assert_accessible(page)

    # Sending the form half-filled shows errors and keeps what was typed.
    _fill_person(page, 0, "أمينة", "2015")
    page.click("#add-person")  # no JavaScript needed: the form comes back with one more row
    expect(page.locator("#attendees-0-first_name")).to_have_value("أمينة")
    _fill_person(page, 1, "Søren", "2012")
    page.click("#add-person")
    _fill_person(page, 2, "Дарья", "1984")
    page.click("form#signup-form button.primary.big")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#phone-error")).to_be_visible()
    expect(page.locator("#attendees-2-first_name")).to_have_value("Дарья")
    assert_accessible(page)

    # Put it right and sign up.
    page.check("#is_adult-0")
    page.fill("#name", "Дарья Æblegård")
    page.fill("#phone", "20 12 34 56")
    page.select_option("#residence", f"d{seeded['department_id']}")
    page.click("form#signup-form button.primary.big")

    # The confirmation is the manage page behind the secret link.
    expect(page).to_have_url(re.compile(r"/b/[A-Za-z0-9_-]{43,}$"))
    manage_url = page.url
    token = manage_url.rsplit("/", 1)[1]
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".booking-date.status-confirmed")).to_have_count(1)
    expect(page.locator(".booking-people .attendee")).to_have_count(3)
    expect(page.locator(".booking-people")).to_contain_text("أمينة")
    assert_accessible(page)
    saved = page.evaluate("() => JSON.parse(localStorage.getItem('nordby.myBookings'))")
    assert saved[0]["url"] == f"/b/{token}"
    assert saved[0]["name"] == f"Fællesspisning {lang}"

    # The session is now full; another household waits for a seat.
    waiting_token = live_server.seed(_seed_waiting_household, seeded["session_id"])

    # "My bookings" on this phone leads back to the booking.
    page.goto(live_server.url + "/my-bookings")
    expect(page.locator("#my-bookings-list li")).to_have_count(1)
    assert_accessible(page)
    page.click(f'#my-bookings-list a[href="/b/{token}"]')
    expect(page).to_have_url(manage_url)

    # Cancel one person: a confirmation page first, then the seat is freed.
    page.locator(".booking-people .attendee").nth(1).locator("a.button").click()
    expect(page.locator("#confirm")).to_be_visible()
    assert_accessible(page)
    page.click("#confirm")
    expect(page).to_have_url(manage_url)
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".booking-people .attendee.cancelled")).to_have_count(1)

    # The waiting household got the freed seat.
    assert live_server.seed(_seat_statuses, waiting_token) == ["confirmed"]
    page.goto(f"{live_server.url}/b/{waiting_token}")
    expect(page.locator(".booking-date.status-confirmed")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", lang)
