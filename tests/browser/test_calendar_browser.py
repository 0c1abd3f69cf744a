"""The calendar on a resident's phone: filters, accessibility, and the other languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Page

from checkin import ROOT
from tests.browser.helpers import LiveServer, assert_accessible

LEAD = "Find an activity and sign up your family. It is free."


def _offer() -> dict[str, int]:
    from tests.factories import make_activity, make_area, make_project, make_session

    project = make_project("Børn og unge")
    area = make_area("Vangdalen")
    homework = make_activity(
        project,
        "Lektiecafé",
        target_group="children",
        min_age=6,
        max_age=12,
        place="Nordbyhuset",
        area=area,
        default_capacity=12,
    )
    football = make_activity(project, "Pigefodbold", target_group="youth", area=area)
    dinner = make_activity(project, "Fællesspisning", signup_required=False)
    for days in (1, 8):
        make_session(homework, starts_in=timedelta(days=days))
    make_session(football, starts_in=timedelta(days=2), capacity=0)
    make_session(dinner, starts_in=timedelta(days=3), capacity=None)
    return {"area": area.id, "project": project.id}


@pytest.fixture(scope="module")
def offer(live_server: LiveServer) -> dict[str, int]:
    return live_server.seed(_offer)


def _expected(locale: str, msgid: str) -> str:
    """The text a page in ``locale`` shows for ``msgid``: its translation, else the Danish."""
    for code in (locale, "da"):
        path = ROOT / "checkin" / "translations" / code / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            message = read_po(handle, locale=code).get(msgid)
        if message is not None and message.string:
            return message.string
    raise AssertionError(f"{msgid!r} is translated neither in {locale} nor in Danish")


def test_filtered_calendar_is_accessible_on_a_phone(
    live_server: LiveServer, offer: dict[str, int], phone_page: Page
):
    phone_page.goto(live_server.url + "/")
    phone_page.locator("details.filters summary").click()  # opens the filters (no JavaScript)
    phone_page.select_option("#filter-target-group", "children")
    phone_page.select_option("#filter-area", str(offer["area"]))
    phone_page.locator(".filter-actions button[type=submit]").click()
    phone_page.wait_for_load_state()

    assert "target_group=children" in phone_page.url
    cards = phone_page.locator(".session-card h3")
    assert cards.all_inner_texts() == ["Lektiecafé", "Lektiecafé"]
    assert phone_page.locator("details.filters").get_attribute("open") is not None
    assert_accessible(phone_page)


def test_unfiltered_calendar_is_accessible_on_a_phone(
    live_server: LiveServer, offer: dict[str, int], phone_page: Page
):
    phone_page.goto(live_server.url + "/")
    assert phone_page.locator(".session-card").count() == 4
    assert_accessible(phone_page)


def test_arabic_from_the_language_switcher_is_right_to_left(
    live_server: LiveServer, offer: dict[str, int], phone_page: Page
):
    phone_page.goto(live_server.url + "/")
    assert phone_page.get_attribute("html", "dir") == "ltr"
    brand = phone_page.locator(".brand")
    assert brand.bounding_box()["x"] < 390 / 2

    phone_page.locator('nav.lang a[hreflang="ar"]').click()
    phone_page.wait_for_load_state()

    assert phone_page.get_attribute("html", "lang") == "ar"
    assert phone_page.get_attribute("html", "dir") == "rtl"
    assert brand.inner_text() == _expected("ar", "Nordby Activities")
    box = brand.bounding_box()
    assert box["x"] + box["width"] / 2 > 390 / 2, "the brand should sit on the right"
    card = phone_page.locator(".session-card").first.bounding_box()
    time = phone_page.locator(".session-card .time").first.bounding_box()
    assert time["x"] + time["width"] > card["x"] + card["width"] - 40, "text starts at the right"
    assert_accessible(phone_page)

    # The choice is remembered on the next page.
    phone_page.goto(live_server.url + "/privacy")
    assert phone_page.get_attribute("html", "dir") == "rtl"


@pytest.mark.parametrize("locale", ["so", "uk", "tr"])
def test_other_languages_render_with_danish_for_gaps(
    live_server: LiveServer, offer: dict[str, int], phone_page: Page, locale: str
):
    phone_page.goto(f"{live_server.url}/?lang={locale}")
    assert phone_page.get_attribute("html", "lang") == locale
    assert phone_page.get_attribute("html", "dir") == "ltr"
    assert phone_page.locator(".brand").inner_text() == _expected(locale, "Nordby Activities")
    assert phone_page.locator("p.lead").inner_text() == _expected(locale, LEAD)
    assert_accessible(phone_page)
