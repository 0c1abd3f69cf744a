"""The check-in desk on a tablet, with its script: camera scanning fed a real ticket's QR code,
offline scans queued and synced exactly once, household, accent-free search, walk-in, headcount
and undo. Results are asserted through ``data-result`` and the database, never wording."""

from __future__ import annotations

import itertools
import time
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import CheckIn, ScanLog
from checkin.services import clock
from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
from checkin.services.tickets import render_qr_png, ticket_url
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.helpers import LiveServer, assert_accessible, camera_video, fake_camera_args
from tests.factories import PASSWORD, make_activity, make_session, make_user

PHONES = itertools.count(1)
TABLET = {
    "viewport": {"width": 1024, "height": 768},
    "has_touch": True,
    "locale": "da-DK",
    "timezone_id": "Europe/Copenhagen",
}


def _seed_desk(name: str, households: list[list[str]]) -> dict:
    """A session going on now, bookings for it (people as "First" or "First Last"), and a
    volunteer."""
    activity = make_activity(name=name, default_capacity=60)
    session = make_session(activity, starts_in=timedelta(minutes=-30), hours=3)
    bookings = []
    for people in households:
        details = [
            AttendeeDetails(first_name=first, last_name=last or None, birth_year=2015)
            for first, _, last in (person.partition(" ") for person in people)
        ]
        bookings.append(
            create_booking(
                activity,
                sessions=[session],
                contact=ContactDetails(name="Kontakt Person", phone=f"+45 3{next(PHONES):07d}"),
                attendees=details,
                at=clock.now() - timedelta(hours=2),  # booked before it started
                info_text_version="test-1",
            )
        )
    volunteer = make_user("volunteer")
    return {
        "session_id": session.id,
        "email": volunteer.email,
        "codes": [a.ticket_code for b in bookings for a in b.attendees],
        "ids": [a.id for b in bookings for a in b.attendees],
        "households": [b.household_code for b in bookings],
    }


def _check_ins(session_id: int) -> list[tuple[int | None, str, bool]]:
    rows = db.session.scalars(select(CheckIn).where(CheckIn.session_id == session_id))
    return [(row.attendee_id, row.method, row.undone_at is None) for row in rows]


def _active_attendees(live_server: LiveServer, session_id: int) -> list[int]:
    return sorted(
        attendee
        for attendee, _method, active in live_server.seed(_check_ins, session_id)
        if active and attendee is not None
    )


def _open_desk(page: Page, live_server: LiveServer, seeded: dict) -> None:
    page.goto(live_server.url + "/login")
    page.fill("#email", seeded["email"])
    page.fill("#password", PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"{live_server.url}/desk/sessions/{seeded['session_id']}")
    expect(page.locator("#desk")).to_have_attribute("data-js", "ready")


def _scan(page: Page, text: str) -> None:
    """Type a code like a USB scanner does (text, then Enter) and wait for the answer."""
    before = int(page.locator("#desk").get_attribute("data-answered") or 0)
    page.fill("#code", text)
    page.press("#code", "Enter")
    expect(page.locator("#desk")).to_have_attribute("data-answered", str(before + 1))


def _result(page: Page):
    return page.locator("#result-region #scan-result")


def test_camera_scan_checks_the_attendee_in_once(
    live_server: LiveServer, launch_chromium, tmp_path
):
    seeded = live_server.seed(_seed_desk, "Kamera-café", [["Yasmin", "Noah"]])
    png = tmp_path / "ticket.png"
    png.write_bytes(render_qr_png(ticket_url(seeded["codes"][0], base_url=live_server.url)))
    video = camera_video(png, tmp_path / "ticket.mjpeg")
    browser: Browser = launch_chromium(*fake_camera_args(video))
    context = browser.new_context(**TABLET, permissions=["camera"])
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        _open_desk(page, live_server, seeded)
        expect(page.locator("#camera")).to_be_visible()
        page.click("#camera-toggle")
        expect(_result(page)).to_have_attribute("data-result", "ok")
        expect(_result(page).locator(".names")).to_have_text("Yasmin")
        expect(page.locator("#desk")).to_have_attribute("data-camera", "on")
        # The ticket stays in front of the camera (the video loops): it is answered once.
        page.wait_for_function("() => Number(document.querySelector('#desk').dataset.ignored) >= 5")
        assert page.locator("#desk").get_attribute("data-answered") == "1"
        expect(page.locator("#count-checked-in")).to_have_text("1")
        page.click("#camera-toggle")
        expect(page.locator("#camera-video")).to_be_hidden()
    finally:
        context.close()
    assert _active_attendees(live_server, seeded["session_id"]) == [seeded["ids"][0]]
    logs = live_server.seed(
        lambda: db.session.scalar(
            select(func.count())
            .select_from(ScanLog)
            .where(ScanLog.session_id == seeded["session_id"])
        )
    )
    assert logs == 1


def test_offline_scans_are_queued_and_synced_exactly_once(
    live_server: LiveServer, tablet_page: Page
):
    page = tablet_page
    households = [[f"Barn{i:02d}a", f"Barn{i:02d}b"] for i in range(10)]
    seeded = live_server.seed(_seed_desk, "Offline-café", households)
    codes = seeded["codes"]
    assert len(codes) == 20
    _open_desk(page, live_server, seeded)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    worker = page.request.get(live_server.url + "/desk/sw.js")
    assert worker.headers["content-type"].startswith("application/javascript")
    assert worker.headers["cache-control"] == "no-cache"

    page.context.set_offline(True)
    try:
        # The desk reopens from the service worker's copy and answers from the saved list.
        page.reload()
        expect(page.locator("#desk")).to_have_attribute("data-ticket-list", "saved")
        expect(page.locator("#net-status")).to_be_visible()
        for index, code in enumerate(codes):
            # Some as ticket URLs (what the camera reads), some typed in lower case.
            _scan(page, ticket_url(code, base_url=live_server.url) if index % 2 else code.lower())
            expect(_result(page)).to_have_attribute("data-result", "ok")
            expect(_result(page)).to_have_attribute("data-offline", "true")
            if index == 4:
                fifth_seen = time.monotonic()
        # The same code typed again at once is a deliberate repeat: answered again, not queued.
        page.fill("#code", codes[-1])
        page.press("#code", "Enter")
        expect(page.locator("#desk")).to_have_attribute("data-repeated", "1")
        time.sleep(max(0, 3.3 - (time.monotonic() - fifth_seen)))  # past the 3 s repeat window
        for code in codes[:5]:  # five people scanned twice: "already checked in", still queued
            _scan(page, code)
            expect(_result(page)).to_have_attribute("data-result", "already_checked_in")
        _scan(page, "NOT-A-TICKET")
        expect(_result(page)).to_have_attribute("data-result", "invalid")
        expect(page.locator("#sync-badge")).to_have_attribute("data-count", "26")
        expect(page.locator("#sync-badge")).to_be_visible()
        assert _active_attendees(live_server, seeded["session_id"]) == []
    finally:
        page.context.set_offline(False)

    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "0", timeout=25_000)
    expect(page.locator("#sync-badge")).to_be_hidden()
    assert _active_attendees(live_server, seeded["session_id"]) == sorted(seeded["ids"])

    def history():
        rows = db.session.scalars(
            select(ScanLog).where(ScanLog.session_id == seeded["session_id"])
        ).all()
        return sorted((row.result, row.offline) for row in rows)

    logged = live_server.seed(history)
    assert logged.count(("ok", True)) == 20
    assert logged.count(("already_checked_in", True)) == 5
    assert logged.count(("invalid", True)) == 1
    expect(page.locator("#count-checked-in")).to_have_text("20")


def test_household_search_walk_in_headcount_and_undo(live_server: LiveServer, tablet_page: Page):
    page = tablet_page
    seeded = live_server.seed(
        _seed_desk,
        "Fællesspisning",
        [["Amina", "Omar", "Leila", "Yusuf"], ["Sofie Ørsted"]],
    )
    family_ids, sofie_id = seeded["ids"][:4], seeded["ids"][4]
    _open_desk(page, live_server, seeded)
    expect(page.locator("#not-arrived li.person")).to_have_count(5)

    # Household: all four pre-selected; Yusuf stayed home, three came.
    _scan(page, seeded["households"][0])
    expect(_result(page)).to_have_attribute("data-result", "household")
    boxes = _result(page).locator("input[name=attendee_ids]")
    expect(boxes).to_have_count(4)
    for index in range(4):
        expect(boxes.nth(index)).to_be_checked()
    assert_accessible(page)
    page.uncheck(f"#m-{family_ids[3]}")
    page.locator("#household-form button[type=submit]").click()
    expect(_result(page)).to_have_attribute("data-result", "ok")
    came = _result(page).locator(".came")
    expect(came).to_have_attribute("data-came", "3")
    expect(came).to_have_attribute("data-total", "4")
    expect(page.locator("#count-checked-in")).to_have_text("3")
    expect(page.locator("#not-arrived li.person")).to_have_count(2)

    # Walk-in and an anonymous headcount.
    page.fill("#first_name", "Ali")
    page.select_option("#age_band", index=2)
    page.locator("#walk-in-form button[type=submit]").click()
    expect(_result(page)).to_have_attribute("data-result", "ok")
    expect(page.locator("#count-walk-ins")).to_have_text("1")
    page.click("#headcount button.headcount-child")
    expect(page.locator("#count-headcount")).to_have_text("1")

    # Search without the accent finds Ørsted; check her in from the result.
    page.fill("#q", "orsted")
    page.press("#q", "Enter")
    hit = page.locator(f"#search-results li[data-attendee-id='{sofie_id}']")
    expect(hit).to_be_visible()
    hit.locator("button[type=submit]").click()
    expect(_result(page)).to_have_attribute("data-result", "ok")
    expect(_result(page).locator(".names")).to_have_text("Sofie")
    expect(page.locator("#count-checked-in")).to_have_text("4")
    assert_accessible(page)

    # Undo the last check-in: Sofie is waiting again.
    expect(page.locator("#recent li")).to_have_count(6)  # 3 family, walk-in, headcount, Sofie
    page.locator("#recent li").first.locator("button").click()
    expect(_result(page)).to_have_attribute("data-result", "undone")
    expect(page.locator("#count-checked-in")).to_have_text("3")
    expect(page.locator(f"#not-arrived li[data-attendee-id='{sofie_id}']")).to_be_visible()
    active = _active_attendees(live_server, seeded["session_id"])
    assert active[:3] == sorted(family_ids[:3]) and len(active) == 4  # the walk-in is the 4th
    methods = sorted(m for _a, m, active in live_server.seed(_check_ins, seeded["session_id"]))
    assert methods == ["headcount", "household", "household", "household", "search", "walk_in"]


def test_a_desk_outside_the_sessions_window_says_so(live_server: LiveServer, tablet_page: Page):
    """The session ends while the desk is open: a scan is refused with the server's words, in
    the tablet's language. A session of tomorrow shows why it cannot be used, not a scanner."""
    page = tablet_page
    seeded = live_server.seed(_seed_desk, "Vindue-café", [["Sara"]])
    tomorrow = live_server.seed(lambda: make_session(starts_in=timedelta(days=1)).id)
    _open_desk(page, live_server, seeded)

    def over_last_week(session_id: int) -> None:
        from checkin.models import Occurrence

        session = db.session.get(Occurrence, session_id)
        session.starts_at -= timedelta(days=7)
        session.ends_at -= timedelta(days=7)

    live_server.seed(over_last_week, seeded["session_id"])
    _scan(page, seeded["codes"][0])
    expect(_result(page)).to_have_attribute("data-result", "outside_desk_window")
    expect(_result(page)).to_contain_text("Check-in til denne gang lukkede")
    assert _active_attendees(live_server, seeded["session_id"]) == []

    page.goto(f"{live_server.url}/desk/sessions/{tomorrow}")
    expect(page.locator("#desk-closed-message")).to_contain_text("Check-in til denne gang åbner")
    expect(page.locator("#scan-form")).to_have_count(0)
    assert_accessible(page)


def _hand_to_another_desk(session_id: int, attendee_id: int) -> None:
    """The check-in now belongs to another desk: this desk's undo of it is refused."""
    row = db.session.scalar(
        select(CheckIn).where(
            CheckIn.session_id == session_id,
            CheckIn.attendee_id == attendee_id,
            CheckIn.undone_at.is_(None),
        )
    )
    row.device = "link:999999"


def _undo(page: Page, name: str) -> None:
    page.locator("#recent li", has_text=name).locator("button").click()
    expect(_result(page)).to_have_attribute("data-result", "undone")


def test_household_members_are_undone_one_by_one_online_and_offline(
    live_server: LiveServer, tablet_page: Page
):
    """Issue 11, defect 1: undoing one person of a household check-in works online and
    offline, and an undo the server refuses on sync is listed with its reason, leaves the
    "not synced" badge, and stays listed across a reload until dismissed."""
    page = tablet_page
    seeded = live_server.seed(
        _seed_desk, "Familiecafé", [["Amina", "Omar", "Leila", "Yusuf"], ["Sara"]]
    )
    amina, omar, leila, yusuf = seeded["ids"][:4]
    session_id = seeded["session_id"]
    _open_desk(page, live_server, seeded)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")

    scanned = [0.0]

    def check_in_two(uncheck: list[int]) -> None:
        time.sleep(max(0, scanned[0] + 3.3 - time.monotonic()))  # past the repeat filter
        _scan(page, seeded["households"][0])
        scanned[0] = time.monotonic()
        expect(_result(page)).to_have_attribute("data-result", "household")
        for attendee in uncheck:
            page.uncheck(f"#m-{attendee}")
        page.locator("#household-form button[type=submit]").click()
        expect(_result(page)).to_have_attribute("data-result", "ok")

    # Online: Amina and Omar come; Omar was ticked by mistake and is undone.
    check_in_two([leila, yusuf])
    assert _active_attendees(live_server, session_id) == sorted([amina, omar])
    _undo(page, "Omar")
    expect(_result(page).locator("h2")).to_contain_text("Check-in fortrudt")
    expect(page.locator("#desk")).not_to_contain_text("not valid")
    assert _active_attendees(live_server, session_id) == [amina]
    expect(page.locator("#count-checked-in")).to_have_text("1")

    # The API fails (hall Wi-Fi): Leila and Yusuf come, Yusuf is undone, all queued.
    page.route("**/api/v1/**", lambda route: route.abort())
    check_in_two([omar])
    expect(_result(page)).to_have_attribute("data-offline", "true")
    _undo(page, "Yusuf")
    expect(_result(page)).to_have_attribute("data-offline", "true")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "2")
    assert _active_attendees(live_server, session_id) == [amina]
    page.unroute("**/api/v1/**")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "0")
    expect(page.locator("#sync-badge")).to_be_hidden()
    expect(page.locator("#refused-box")).to_be_hidden()
    assert _active_attendees(live_server, session_id) == sorted([amina, leila])

    # Offline again, Amina is undone; meanwhile her check-in became another desk's, so the
    # server refuses the undo when it syncs.
    page.route("**/api/v1/**", lambda route: route.abort())
    _undo(page, "Amina")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "1")
    live_server.seed(_hand_to_another_desk, session_id, amina)
    page.unroute("**/api/v1/**")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "0")
    refused = page.locator("#refused li")
    expect(refused).to_have_count(1)
    expect(refused).to_have_attribute("data-code", "other_desk")
    expect(refused.locator(".refused-reason")).to_have_text("Tjekket ind ved en anden skranke")
    expect(refused.locator(".person-name")).to_contain_text("Amina")
    assert _active_attendees(live_server, session_id) == sorted([amina, leila])
    assert_accessible(page)

    # It survives a reload as a refused item, not as "not synced"; once dismissed it is gone.
    page.reload()
    expect(page.locator("#desk")).to_have_attribute("data-ticket-list", "fresh")
    expect(page.locator("#refused li")).to_have_count(1)
    expect(page.locator("#sync-badge")).to_be_hidden()
    page.locator("#refused li button").click()
    expect(page.locator("#refused-box")).to_be_hidden()
    page.reload()
    expect(page.locator("#desk")).to_have_attribute("data-ticket-list", "fresh")
    expect(page.locator("#refused-box")).to_be_hidden()
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "0")


def test_every_kind_of_check_in_is_undone_online_and_offline(
    live_server: LiveServer, tablet_page: Page
):
    """A scanned ticket, a search hit, a walk-in and a headcount are each undone from the
    undo list, online and with the API failing (then synced): nothing stays checked in."""
    page = tablet_page
    seeded = live_server.seed(_seed_desk, "Alle-slags-café", [["Sara"], ["Jonas"], ["Mira"]])
    sara, jonas, _mira = seeded["ids"]
    _open_desk(page, live_server, seeded)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")

    def undo_newest() -> None:
        page.locator("#recent li").first.locator("button").click()
        expect(_result(page)).to_have_attribute("data-result", "undone")

    def each_kind(scanned: str, searched: str, searched_id: int) -> None:
        _scan(page, scanned)
        expect(_result(page)).to_have_attribute("data-result", "ok")
        undo_newest()
        page.fill("#q", searched)
        page.press("#q", "Enter")
        page.locator(f"#search-results li[data-attendee-id='{searched_id}'] button").click()
        expect(_result(page)).to_have_attribute("data-result", "ok")
        undo_newest()
        page.fill("#first_name", "Ali")
        page.select_option("#age_band", index=2)
        page.locator("#walk-in-form button[type=submit]").click()
        expect(_result(page)).to_have_attribute("data-result", "ok")
        undo_newest()
        page.click("#headcount button.headcount-child")
        expect(page.locator("#count-headcount")).to_have_text("1")
        undo_newest()
        expect(page.locator("#count-headcount")).to_have_text("0")
        expect(page.locator("#count-walk-ins")).to_have_text("0")
        expect(page.locator("#count-checked-in")).to_have_text("0")

    def still_in() -> list[tuple[int | None, str, bool]]:
        rows = live_server.seed(_check_ins, seeded["session_id"])
        return [row for row in rows if row[2]]

    each_kind(seeded["codes"][0], "Jonas", jonas)
    assert still_in() == []
    page.route("**/api/v1/**", lambda route: route.abort())
    each_kind(seeded["codes"][1], "Sara", sara)
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "8")
    page.unroute("**/api/v1/**")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "0")
    expect(page.locator("#refused-box")).to_be_hidden()
    rows = live_server.seed(_check_ins, seeded["session_id"])
    assert len(rows) == 8 and still_in() == []

    # Admitted while the API failed, undone once it answers again but before the queue has
    # synced: the check-in is sent first, then its undo.
    page.route("**/api/v1/**", lambda route: route.abort())
    _scan(page, seeded["codes"][2])
    expect(_result(page)).to_have_attribute("data-offline", "true")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "1")
    page.unroute("**/api/v1/**")
    undo_newest()
    expect(_result(page)).not_to_have_attribute("data-offline", "true")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "0")
    assert len(live_server.seed(_check_ins, seeded["session_id"])) == 9 and still_in() == []


LEGACY_QUEUE = """async ([sessionId, now]) => {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open("nordby-desk", 1);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction("queue", "readwrite");
  const item = (clientId, type, payload, at) => ({client_id: clientId, session_id: sessionId, type,
    occurred_at: now, payload, marks: [], label: "", queued_at: at});
  const household = "11111111-2222-4333-8444-555555555555";
  tx.objectStore("queue").put(item("aaaaaaaa-2222-4333-8444-555555555555", "undo",
    {target_client_id: `${household}/7`}, 1));
  tx.objectStore("queue").put(item("bbbbbbbb-2222-4333-8444-555555555555", "walk_in",
    {first_name: "Ali", age_band: "18-24", area_id: null, is_resident: null}, 2));
  await new Promise((resolve) => { tx.oncomplete = resolve; });
  db.close();
}"""


def test_a_malformed_queued_item_is_refused_and_the_rest_syncs(
    live_server: LiveServer, tablet_page: Page
):
    """An undo an older page queued as "<uuid>/<id>" is refused by the API as malformed: it is
    listed with the server's Danish words and leaves the count, and the walk-in queued after
    it still syncs."""
    page = tablet_page
    seeded = live_server.seed(_seed_desk, "Gammel-kø-café", [["Sara"]])
    _open_desk(page, live_server, seeded)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
    page.evaluate(LEGACY_QUEUE, [seeded["session_id"], clock.now().isoformat()])
    page.reload()  # the desk syncs its queue when it opens
    refused = page.locator("#refused li")
    expect(refused).to_have_count(1)
    expect(refused).to_have_attribute("data-code", "invalid_request")
    expect(refused.locator(".refused-reason")).to_have_text("Forespørgslen er ikke gyldig.")
    expect(page.locator("#sync-badge")).to_have_attribute("data-count", "0")
    methods = [m for _a, m, _on in live_server.seed(_check_ins, seeded["session_id"])]
    assert methods == ["walk_in"]
