"""Tickets on a resident's phone: book through the real form, open the ticket from the manage
page, read its QR code back with zbar, keep it offline, read it at 200% zoom, print it on A4."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

from checkin.extensions import db
from checkin.models import Occurrence
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.helpers import LiveServer, assert_accessible
from tests.factories import make_activity, make_area, make_booking, make_session

TICKET_PATH = re.compile(r"/t/([2-9A-HJ-NP-TV-Z]{27})$")


def _decode(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    return [s.data.decode() for s in zbar_decode(image, symbols=[ZBarSymbol.QRCODE])]


def _seed_activity(name: str) -> dict:
    area = make_area(f"Vangdalen {name}", departments=["Syd"])
    activity = make_activity(name=name, default_capacity=10, place="Nordbyhuset")
    make_session(activity, starts_in=timedelta(days=2))
    return {"slug": activity.slug, "department_id": area.departments[0].id}


def _seed_booking(name: str, people: list[str]) -> dict:
    activity = make_activity(name=name, default_capacity=10, place="Nordbyhuset")
    session = make_session(activity, starts_in=timedelta(days=2))
    booking = make_booking(db.session.get(Occurrence, session.id), people=people)
    return {
        "token": booking.manage_token,
        "household": booking.household_code,
        "codes": [a.ticket_code for a in booking.attendees],
    }


def test_book_open_ticket_and_read_its_qr_code(live_server: LiveServer, phone_page: Page):
    page = phone_page
    seeded = live_server.seed(_seed_activity, "Pigefodbold")

    # Book through the real form, in English.
    page.goto(f"{live_server.url}/language/en?next=/activities/{seeded['slug']}")
    page.fill("#attendees-0-first_name", "Amina")
    page.fill("#attendees-0-birth_year", "1990")
    page.check("#is_adult-0")
    page.fill("#name", "Amina Hassan")
    page.fill("#phone", "20 12 34 57")
    page.select_option("#residence", f"d{seeded['department_id']}")
    page.click("form#signup-form button.primary.big")
    expect(page).to_have_url(re.compile(r"/b/[A-Za-z0-9_-]{43,}$"))
    manage_url = page.url
    assert_accessible(page)

    # The manage page leads to the person's ticket.
    page.locator(".booking-people .attendee a.ticket-link").first.click()
    expect(page).to_have_url(TICKET_PATH)
    code = TICKET_PATH.search(page.url).group(1)
    expect(page.locator("h1")).to_have_text("Pigefodbold")
    expect(page.locator(".ticket-card .ticket-name")).to_have_text("Amina")
    qr = page.locator(".ticket-card img.qr")
    expect(qr).to_be_visible()
    expect(qr).to_have_attribute("alt", "QR code for Amina's ticket")
    expect(page.locator("#print-ticket")).to_be_visible()  # shown by the script
    expect(page.locator("#add-to-calendar")).to_be_visible()
    assert_accessible(page)

    # Download the QR PNG from the page's own link and read it with zbar.
    png_url = page.locator("#download-qr").evaluate("a => a.href")
    response = page.request.get(png_url)
    assert response.ok and response.headers["content-type"] == "image/png"
    assert _decode(response.body()) == [f"{live_server.url}/t/{code}"]

    # The SVG as Chromium draws it on the phone reads back too.
    assert _decode(qr.screenshot()) == [f"{live_server.url}/t/{code}"]

    # The calendar file is offered to the phone.
    ics = page.request.get(page.locator("#add-to-calendar").evaluate("a => a.href"))
    assert ics.ok and "BEGIN:VEVENT" in ics.text() and "Pigefodbold" in ics.text()

    # Printable tickets from the manage page.
    page.goto(manage_url)
    page.click("#print-tickets")
    expect(page.locator(".print-card")).to_have_count(1)
    expect(page.locator(".print-card img.qr")).to_be_visible()
    assert_accessible(page)


def test_opened_ticket_works_offline(live_server: LiveServer, phone_page: Page):
    page = phone_page
    seeded = live_server.seed(_seed_booking, "Lektiecafé", ["Omar", "Leila"])
    url = f"{live_server.url}/t/{seeded['household']}"

    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.locator("#offline-ready")).to_be_visible()

    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.locator("h1")).to_have_text("Lektiecafé")
        expect(page.locator(".ticket-card img.qr")).to_have_count(3)
        page.wait_for_function(
            "() => [...document.querySelectorAll('img.qr')]"
            ".every((img) => img.complete && img.naturalWidth > 0)"
        )
        household_qr = page.locator(f"#ticket-{seeded['household']} img.qr")
        assert _decode(household_qr.screenshot()) == [url]
        # The stylesheet came from the saved copy too: the card has its border.
        border = page.locator(".ticket-card").first.evaluate(
            "el => getComputedStyle(el).borderTopStyle"
        )
        assert border == "solid"
    finally:
        page.context.set_offline(False)


@pytest.fixture
def zoomed_page(browser: Browser):
    """A 390 px phone at 200% zoom: 195 CSS px wide."""
    context = browser.new_context(
        viewport={"width": 195, "height": 422},
        device_scale_factor=4,
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("which", ["person", "household"])
def test_ticket_is_readable_at_200_percent_zoom(live_server: LiveServer, zoomed_page: Page, which):
    page = zoomed_page
    seeded = live_server.seed(
        _seed_booking, f"Fællesspisning {which}", ["Maximiliana-Alexandra", "Omar"]
    )
    code = seeded["codes"][0] if which == "person" else seeded["household"]
    page.goto(f"{live_server.url}/t/{code}")
    qr = page.locator(f"#ticket-{code} img.qr")
    expect(qr).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")

    width = page.evaluate("() => window.innerWidth")
    assert width == 195
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    box = qr.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["width"] >= 120  # still big enough to scan
    assert _decode(qr.screenshot()) == [f"{live_server.url}/t/{code}"]


def test_print_sheet_is_a4_with_six_tickets_a_page(live_server: LiveServer, phone_page: Page):
    page = phone_page
    people = ["Amina", "Omar", "Leila", "Søren", "Дарья", "Yusuf"]
    seeded = live_server.seed(_seed_booking, "Sommertur", people)
    page.goto(f"{live_server.url}/b/{seeded['token']}/tickets/print")
    expect(page.locator(".print-card")).to_have_count(7)  # six people and the household
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.qr')].every((img) => img.naturalWidth > 0)"
    )
    assert_accessible(page)

    pdf = page.pdf(prefer_css_page_size=True)
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) == 2  # 7 cards at 6 a page
    sizes = {
        tuple(round(float(n)) for n in m)
        for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    }
    assert sizes == {(596, 842)} or sizes == {(595, 842)}  # A4 in points

    page.emulate_media(media="print")
    cards = page.locator(".print-card")
    first, second, third = (cards.nth(i).bounding_box() for i in range(3))
    assert first["y"] == second["y"] and second["x"] > first["x"]  # two columns
    assert third["y"] > first["y"]
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".print-intro")).to_be_hidden()
