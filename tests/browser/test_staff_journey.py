"""The staff journey on a desktop: plan a weekly series, book a resident at the office through
the residents' form, print their tickets with QR codes; the planning and list pages audited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from checkin.services import clock
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.helpers import LiveServer, assert_accessible
from tests.factories import PASSWORD, make_activity, make_area, make_user


@pytest.fixture
def desktop_page(browser: Browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def _seed() -> dict:
    area = make_area("Gl. Jennumparken", departments=["Nord"])
    activity = make_activity(name="Lektiecafé", default_capacity=10, place="Nordbyhuset")
    user = make_user("staff", email="staff-journey@example.org")
    return {"activity": activity.id, "department": area.departments[0].id, "email": user.email}


def _next_tuesday() -> date:
    today = clock.local(clock.now()).date()
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7)


def test_staff_plans_a_series_books_a_resident_and_prints_tickets(
    live_server: LiveServer, desktop_page: Page
):
    page = desktop_page
    seeded = live_server.seed(_seed)
    first = _next_tuesday()

    page.goto(f"{live_server.url}/language/en?next=/login")
    page.fill("#email", seeded["email"])
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.goto(f"{live_server.url}/staff/planning")
    expect(page.locator("h1")).to_have_text("Planning")
    assert_accessible(page)

    # A weekly series: Tuesdays 15-17 for three weeks, the middle one skipped.
    page.click(f"tr[data-activity='{seeded['activity']}'] a")
    page.click("text=New weekly series")
    page.check("#weekdays-1")
    page.fill("#start_time", "15:00")
    page.fill("#end_time", "17:00")
    page.fill("#first_date", first.isoformat())
    page.fill("#last_date", (first + timedelta(days=21)).isoformat())
    page.fill("#skip_dates", (first + timedelta(days=7)).isoformat())
    page.click("#series-form button.primary")
    expect(page.locator(".flash-success")).to_contain_text("3 sessions are created.")
    rows = page.locator("#sessions tr.session-row")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("3:00 PM")  # Copenhagen time, English format
    assert_accessible(page)

    # The first session's list, then assisted booking for a resident at the office.
    rows.first.locator("a").first.click()
    expect(page.locator("#counts")).to_be_visible()
    assert_accessible(page)
    page.click("text=Book for a resident")
    page.fill("#attendees-0-first_name", "Yusuf")
    page.fill("#attendees-0-birth_year", "2016")
    page.click("#add-person")
    page.fill("#attendees-1-first_name", "Maryam")
    page.fill("#attendees-1-birth_year", "2014")
    page.fill("#name", "Fatima Ali")
    page.fill("#phone", "20 11 22 33")
    page.select_option("#residence", f"d{seeded['department']}")
    page.click("#book-submit")
    expect(page).to_have_url(re.compile(r"/staff/bookings/\d+$"))
    expect(page.locator(".booking-people .attendee")).to_have_count(2)
    assert_accessible(page)

    # Printable tickets: a card with a QR code per person, and one for the whole household.
    page.click("text=Print tickets")
    expect(page).to_have_url(re.compile(r"/staff/bookings/\d+/tickets/print$"))
    expect(page.locator(".print-card img.qr")).to_have_count(3)
    names = page.locator(".print-card .ticket-name")
    expect(names.filter(has_text="Yusuf")).to_have_count(1)
    expect(names.filter(has_text="Maryam")).to_have_count(1)
    # Waits (up to the default timeout) rather than reads once: under load the cards are on the
    # page before their QR images have arrived.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.print-card img.qr')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
