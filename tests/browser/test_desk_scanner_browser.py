"""The desk with a USB scanner (a keyboard wedge, simulated with fast typing then Enter) and on
a hanging network, on a tablet. Results are asserted through ``data-*`` and the database."""

from __future__ import annotations

import contextlib

from playwright.sync_api import Error, Page, Route, expect

from tests.browser.helpers import LiveServer
from tests.browser.test_desk_browser import (
    _active_attendees,
    _check_ins,
    _open_desk,
    _result,
    _seed_desk,
)


def _answered(page: Page) -> int:
    return int(page.locator("#desk").get_attribute("data-answered") or 0)


def _scanner(page: Page, code: str) -> None:
    """A USB scanner: the code as a burst of keys, then Enter, wherever the focus is."""
    before = _answered(page)
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")
    expect(page.locator("#desk")).to_have_attribute("data-answered", str(before + 1))


def test_a_scanner_burst_is_a_scan_wherever_the_focus_is(
    live_server: LiveServer, tablet_page: Page
):
    page = tablet_page
    seeded = live_server.seed(_seed_desk, "Scanner-café", [["Aya"], ["Bo"], ["Cem"], ["Dina"]])
    codes, ids = seeded["codes"], seeded["ids"]
    _open_desk(page, live_server, seeded)

    # After "+ barn": the scanner's Enter must not press it again.
    page.click("#headcount button.headcount-child")
    expect(page.locator("#count-headcount")).to_have_text("1")
    _scanner(page, codes[0])
    expect(_result(page)).to_have_attribute("data-result", "ok")
    expect(_result(page).locator(".names")).to_have_text("Aya")

    # After "Tilføj person": no second (blank) walk-in.
    page.fill("#first_name", "Ali")
    page.select_option("#age_band", index=2)
    page.locator("#walk-in-form button[type=submit]").click()
    expect(page.locator("#count-walk-ins")).to_have_text("1")
    _scanner(page, codes[1])
    expect(_result(page).locator(".names")).to_have_text("Bo")

    # After a search, typing slowly in the search field: the burst leaves the field as typed.
    page.fill("#q", "Cem")
    page.press("#q", "Enter")
    expect(page.locator(f"#search-results li[data-attendee-id='{ids[2]}']")).to_be_visible()
    page.fill("#q", "")
    page.click("#q")
    page.keyboard.type("Din", delay=120)
    _scanner(page, codes[2])
    expect(_result(page).locator(".names")).to_have_text("Cem")
    expect(page.locator("#q")).to_have_value("Din")
    page.click("#q")
    page.keyboard.type("a", delay=120)
    page.keyboard.press("Enter")  # typed by hand: still a search
    expect(page.locator(f"#search-results li[data-attendee-id='{ids[3]}']")).to_be_visible()

    # After a tap in the list (the focus on the page itself).
    page.locator(f"#not-arrived li[data-attendee-id='{ids[3]}'] .person-name").click()
    _scanner(page, codes[3])
    expect(_result(page).locator(".names")).to_have_text("Dina")
    expect(page.locator("#code")).to_be_focused()

    # A deliberate repeat with the scanner within 3 s is answered again, recorded once.
    _scanner(page, codes[3])
    expect(page.locator("#desk")).to_have_attribute("data-repeated", "1")
    expect(_result(page)).to_have_attribute("data-result", "ok")

    expect(page.locator("#count-headcount")).to_have_text("1")
    expect(page.locator("#count-walk-ins")).to_have_text("1")
    active = _active_attendees(live_server, seeded["session_id"])
    assert active[:4] == sorted(ids) and len(active) == 5  # the walk-in is the 5th
    methods = sorted(m for _a, m, _active in live_server.seed(_check_ins, seeded["session_id"]))
    assert methods.count("headcount") == 1 and methods.count("walk_in") == 1
    assert len(methods) == 6


def _seconds_to_answer(page: Page, code: str) -> float:
    """Type a code and press Enter; the time from Enter to the answer, measured in the page."""
    before = _answered(page)
    page.fill("#code", code)
    page.evaluate(
        """() => document.addEventListener("keydown", (event) => {
            if (event.key === "Enter") { window.enterAt = performance.now(); }
        }, {capture: true, once: true})"""
    )
    page.press("#code", "Enter")
    page.wait_for_function(
        f"() => Number(document.querySelector('#desk').dataset.answered) > {before}",
        polling="raf",
    )
    return page.evaluate("() => performance.now() - window.enterAt") / 1000


def test_a_hanging_network_answers_from_the_offline_list_and_syncs_once(
    live_server: LiveServer, tablet_page: Page
):
    page = tablet_page
    seeded = live_server.seed(_seed_desk, "Hænge-café", [["Frida"], ["Gustav"]])
    codes, ids = seeded["codes"], seeded["ids"]
    _open_desk(page, live_server, seeded)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")

    held: list[Route] = []

    def hang(route: Route) -> None:  # never answered: the hall's hanging Wi-Fi
        held.append(route)

    page.context.route("**/api/**", hang)
    for code in codes:
        assert _seconds_to_answer(page, code) < 1.5
        expect(_result(page)).to_have_attribute("data-result", "ok")
        expect(_result(page)).to_have_attribute("data-offline", "true")
        expect(page.locator("#net-status")).to_be_visible()
        expect(page.locator("#desk")).to_have_attribute("data-network", "slow")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "2")
    assert _active_attendees(live_server, seeded["session_id"]) == []

    # The network comes back: the held requests arrive late, the queue syncs, once each.
    page.context.unroute("**/api/**")
    for route in held:
        with contextlib.suppress(Error):  # given up by the page already
            route.continue_()
    expect(page.locator("#desk")).to_have_attribute("data-network", "online", timeout=25_000)
    expect(page.locator("#net-status")).to_be_hidden()
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "0", timeout=25_000)
    expect(_result(page).locator(".names")).to_have_text("Gustav")  # no late, second answer
    assert _active_attendees(live_server, seeded["session_id"]) == sorted(ids)
    assert len(live_server.seed(_check_ins, seeded["session_id"])) == 2
