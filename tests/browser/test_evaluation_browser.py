"""Staff evaluate at a desktop: filter the dashboard, download CSV and XLSX, open the annual
report; every page passes the accessibility audit."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from checkin.demo import DEMO_LOGINS, load_demo
from checkin.services import clock
from tests.browser.helpers import LiveServer, assert_accessible


@pytest.fixture(scope="module", autouse=True)
def demo(live_server: LiveServer) -> None:
    live_server.seed(lambda: load_demo(at=clock.now()) and None)


@pytest.fixture
def desktop_page(browser: Browser) -> Iterator[Page]:
    """A staff member's desktop: 1280x800."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _login_staff(page: Page, url: str) -> None:
    email, password = DEMO_LOGINS["staff"]
    page.goto(url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    page.get_by_role("link", name="English").click()


def _figure(page: Page, key: str) -> str:
    return page.locator(f'tr[data-figure="{key}"] td').get_attribute("data-value")


def test_staff_filters_the_dashboard_and_downloads(live_server: LiveServer, desktop_page: Page):
    page = desktop_page
    _login_staff(page, live_server.url)
    page.goto(live_server.url + "/staff/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert_accessible(page)
    everyone = int(_figure(page, "attendances"))
    assert everyone > 0

    page.get_by_label("Age band", exact=True).select_option("10-12")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"age_band=10-12"))
    children = int(_figure(page, "attendances"))
    assert 0 < children < everyone
    unique = int(_figure(page, "unique_participants"))

    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    total = next(r for r in rows if r[0] == "By project and activity" and r[1] == "All projects")
    assert int(total[5]) == children
    assert total[4] == (str(unique) if unique >= 3 else "<3")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download XLSX").click()
    workbook = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    figures = dict(workbook["Key figures"].iter_rows(min_row=2, values_only=True))
    assert figures["Attendances"] == children
    assert workbook["By age band"].freeze_panes == "A2"


def test_annual_report_is_accessible(live_server: LiveServer, desktop_page: Page):
    page = desktop_page
    _login_staff(page, live_server.url)
    year = clock.local(clock.now()).year
    page.goto(f"{live_server.url}/staff/report?year={year}")
    expect(page.get_by_role("heading", name=f"Annual report {year}")).to_be_visible()
    assert page.locator("svg.chart").count() >= 3
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".staff-nav")).to_be_hidden()
