"""Ticket pages, QR images, calendar files and printable tickets through the test client."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import qrcode
from icalendar import Calendar
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode
from qrcode.constants import ERROR_CORRECT_M

from checkin.extensions import db
from checkin.models import Booking
from checkin.services.booking import cancel_attendee, cancel_booking
from checkin.services.codes import new_ticket_code
from tests.factories import (
    PASSWORD,
    audit_log,
    make_activity,
    make_booking,
    make_session,
    make_user,
)
from tests.web.helpers import csrf_token, login

BASE = "http://localhost"


@pytest.fixture
def english(client):
    client.get("/language/en")
    return client


@pytest.fixture
def family(app, frozen_clock) -> dict:
    """A household of three booked on a dinner in three days."""
    dinner = make_activity(name="Fællesspisning", default_capacity=10, place="Nordbyhuset")
    session = make_session(dinner, starts_in=timedelta(days=3))
    booking = make_booking(session, people=["Amina", "Omar", "Leila"], name="Leila Hansen")
    db.session.commit()
    return {
        "booking_id": booking.id,
        "token": booking.manage_token,
        "household": booking.household_code,
        "codes": [a.ticket_code for a in booking.attendees],
    }


def _booking(booking_id: int) -> Booking:
    db.session.expire_all()
    return db.session.get(Booking, booking_id)


def _decode(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    return [s.data.decode() for s in zbar_decode(image, symbols=[ZBarSymbol.QRCODE])]


# --- the ticket page ---------------------------------------------------------------------------


def test_attendee_ticket_page(english, family):
    code = family["codes"][0]
    response = english.get(f"/t/{code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-state="valid"' in html
    assert "Fællesspisning" in html and "Nordbyhuset" in html
    assert "<bdi>Amina</bdi>" in html and "<bdi>Omar</bdi>" not in html
    assert f'src="/t/{code}.svg"' in html
    assert 'alt="QR code for Amina\'s ticket"' in html
    assert f'href="/t/{code}.ics"' in html and "Add to calendar" in html
    assert f'href="/t/{code}.png"' in html
    assert 'id="print-ticket"' in html
    # The household code, for the whole family, read out in groups of three.
    household = family["household"]
    assert f'href="/t/{household}"' in html
    assert " ".join(household[i : i + 3] for i in range(0, len(household), 3)) in html
    # In English the date reads as English.
    assert "day, " in html and "2026" in html
    # No framework; the small script registers the ticket service worker.
    assert "js/ticket.js" in html and 'data-sw="/t/sw.js"' in html
    # Nothing about the contact person.
    assert "Leila Hansen" not in html and "+45" not in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert response.headers["Cache-Control"] == "private, no-store"  # the worker keeps a copy


def test_household_ticket_page_has_a_qr_per_person_and_one_for_all(english, family):
    html = english.get(f"/t/{family['household']}").get_data(as_text=True)
    assert html.count('class="qr"') == 4
    assert f'src="/t/{family["household"]}.svg"' in html
    for code in family["codes"]:
        assert f'src="/t/{code}.svg"' in html
    assert "QR code for the whole household's ticket" in html
    for name in ("Amina", "Omar", "Leila"):
        assert f"QR code for {name}'s ticket" in html


def test_lowercase_code_opens_the_ticket(english, family):
    assert english.get(f"/t/{family['codes'][0].lower()}").status_code == 200


def test_ticket_page_in_the_bookings_language_unless_chosen(client, family, app):
    booking = _booking(family["booking_id"])
    booking.locale = "en"
    db.session.commit()
    # A phone camera opens the link without our cookie: the booking's language.
    html = client.get(f"/t/{family['codes'][0]}").get_data(as_text=True)
    assert '<html lang="en"' in html
    client.get("/language/da")
    html = client.get(f"/t/{family['codes'][0]}").get_data(as_text=True)
    assert '<html lang="da"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/t/NOTACODE",
        "/t/" + "O" * 27,
        "/t/" + "A" * 200,
        "/t/%00",
        "/t/<script>",
        "/t/ABC.png",
        "/t/ABC.svg",
        "/t/ABC.ics",
    ],
)
def test_malformed_codes_get_the_friendly_404(english, family, path):
    response = english.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unknown_code_looks_exactly_like_a_malformed_one(english, family):
    unknown = new_ticket_code()
    pages = [english.get(path) for path in (f"/t/{unknown}", "/t/NOTACODE")]
    assert [p.status_code for p in pages] == [404, 404]
    bodies = [
        p.get_data(as_text=True).replace(unknown, "X").replace("NOTACODE", "X") for p in pages
    ]
    assert bodies[0] == bodies[1]
    for suffix in (".png", ".svg", ".ics"):
        assert english.get(f"/t/{unknown}{suffix}").status_code == 404


def test_cancelled_person_shows_cancelled_without_qr(english, family, frozen_clock):
    booking = _booking(family["booking_id"])
    cancel_attendee(booking, booking.attendees[1], at=frozen_clock.at)
    db.session.commit()

    html = english.get(f"/t/{family['codes'][1]}").get_data(as_text=True)
    assert 'id="ticket-cancelled"' in html and "This ticket is cancelled." in html
    assert 'class="qr"' not in html and ".svg" not in html and ".ics" not in html
    calendar = Calendar.from_ical(english.get(f"/t/{family['codes'][1]}.ics").data)
    assert list(calendar.walk("VEVENT")) == []

    household = english.get(f"/t/{family['household']}").get_data(as_text=True)
    assert 'data-state="valid"' in household
    assert household.count('class="qr"') == 3  # the household and the two left
    assert f"/t/{family['codes'][1]}.svg" not in household
    assert "Cancelled: <bdi>Omar</bdi>" in household


def test_cancelled_booking_shows_cancelled_without_qr(english, family, frozen_clock):
    cancel_booking(_booking(family["booking_id"]), at=frozen_clock.at)
    db.session.commit()
    for code in (family["household"], family["codes"][0]):
        html = english.get(f"/t/{code}").get_data(as_text=True)
        assert 'data-state="cancelled"' in html and 'id="ticket-cancelled"' in html
        assert 'class="qr"' not in html


def test_waiting_household_is_told_so(english, app, frozen_clock):
    session = make_session(make_activity(default_capacity=1))
    make_booking(session, people=["Søren"])
    waiting = make_booking(session, people=["Олег"])
    db.session.commit()
    html = english.get(f"/t/{waiting.household_code}").get_data(as_text=True)
    assert 'id="ticket-waiting"' in html and "waiting list" in html
    assert "Add to calendar" not in html


def test_ended_ticket_says_no_coming_dates(english, family, frozen_clock):
    frozen_clock.advance(days=4)
    html = english.get(f"/t/{family['codes'][0]}").get_data(as_text=True)
    assert 'id="ticket-no-dates"' in html


# --- QR images ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_qr_image_is_cached_with_a_strong_etag(client, family, suffix):
    path = f"/t/{family['codes'][0]}.{suffix}"
    first = client.get(path)
    assert first.status_code == 200
    assert first.mimetype == {"png": "image/png", "svg": "image/svg+xml"}[suffix]
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    cache = first.headers["Cache-Control"]
    assert "private" in cache and "max-age=31536000" in cache
    assert first.headers["Referrer-Policy"] == "no-referrer"

    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200

    # Each code, and each format, has its own tag.
    other = client.get(f"/t/{family['codes'][1]}.{suffix}").headers["ETag"]
    assert other != etag


@pytest.mark.parametrize("app_config", [{"PUBLIC_BASE_URL": "https://checkin.example.dk"}])
def test_qr_payload_uses_the_public_base_url(client, family):
    code = family["codes"][0]
    assert _decode(client.get(f"/t/{code}.png").data) == [f"https://checkin.example.dk/t/{code}"]


def test_png_decodes_at_phone_size_and_scaled_down_to_120_px(client, family):
    for code in [*family["codes"], family["household"]]:
        png = client.get(f"/t/{code}.png").data
        image = Image.open(io.BytesIO(png))
        assert image.width == image.height >= 250
        assert _decode(png) == [f"{BASE}/t/{code}"]

        small = image.convert("L").resize((120, 120), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        small.save(buffer, format="PNG")
        assert _decode(buffer.getvalue()) == [f"{BASE}/t/{code}"]


def test_png_has_error_correction_m_and_the_full_quiet_zone(client, family):
    code = family["codes"][0]
    image = Image.open(io.BytesIO(client.get(f"/t/{code}.png").data)).convert("L")
    expected = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    expected.add_data(f"{BASE}/t/{code}")
    expected.make(fit=True)
    modules = len(expected.get_matrix())  # includes the 4-module border on each side
    box = image.width // modules
    assert image.width == modules * box
    # The quiet zone (4 modules) is white all round.
    quiet = 4 * box
    for x in range(image.width):
        for y in (*range(quiet), *range(image.width - quiet, image.width)):
            assert image.getpixel((x, y)) == 255 and image.getpixel((y, x)) == 255
    # Same modules as an M-level code of the payload, so the level is M.
    for row, line in enumerate(expected.get_matrix()):
        for col, dark in enumerate(line):
            pixel = image.getpixel((col * box + box // 2, row * box + box // 2))
            assert (pixel == 0) == dark


def test_svg_is_valid_and_draws_the_same_modules(client, family):
    code = family["codes"][0]
    svg = client.get(f"/t/{code}.svg").data
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    expected = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    expected.add_data(f"{BASE}/t/{code}")
    expected.make(fit=True)
    matrix = expected.get_matrix()
    size = len(matrix)
    assert root.get("viewBox") == f"0 0 {size} {size}"
    path = root.find("{http://www.w3.org/2000/svg}path").get("d")
    dark_cells = {
        tuple(int(n) for n in square.split("H")[0].split(","))
        for square in path.strip("z").split("zM")
        if square
        for square in [square.lstrip("M")]
    }
    expected_dark = {(x, y) for y, line in enumerate(matrix) for x, dark in enumerate(line) if dark}
    assert dark_cells == expected_dark


# --- calendar file -----------------------------------------------------------------------------


def test_ticket_calendar_file_lists_the_confirmed_coming_dates(english, family):
    response = english.get(f"/t/{family['codes'][0]}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    booking = _booking(family["booking_id"])
    session = booking.seat_rows[0].session
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Fællesspisning"
    assert str(events[0]["location"]) == "Nordbyhuset"
    assert events[0].decoded("dtstart") == session.starts_at
    assert "Amina" not in response.get_data(as_text=True)


def test_cancelled_booking_calendar_file_is_empty(english, family, frozen_clock):
    cancel_booking(_booking(family["booking_id"]), at=frozen_clock.at)
    db.session.commit()
    calendar = Calendar.from_ical(english.get(f"/t/{family['household']}.ics").data)
    assert list(calendar.walk("VEVENT")) == []


# --- service worker ----------------------------------------------------------------------------


def test_service_worker_is_served_from_the_ticket_path(client):
    response = client.get("/t/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.data


# --- printing ----------------------------------------------------------------------------------


def test_resident_prints_from_the_manage_page(english, family):
    manage = english.get(f"/b/{family['token']}").get_data(as_text=True)
    print_url = f"/b/{family['token']}/tickets/print"
    assert f'href="{print_url}"' in manage
    for code in family["codes"]:
        assert f'href="/t/{code}"' in manage
    assert f'href="/t/{family["household"]}"' in manage
    assert f'href="/t/{family["household"]}.ics"' in manage

    response = english.get(print_url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    assert html.count('class="print-card"') == 4  # three people and the household
    assert html.count('class="qr"') == 4
    for name in ("Amina", "Omar", "Leila"):
        assert f"<bdi>{name}</bdi>" in html
    assert html.count("Fællesspisning") >= 4 and "Nordbyhuset" in html
    assert f'href="/b/{family["token"]}"' in html  # back to the booking


def test_print_with_an_unknown_token_is_404(english, family):
    assert english.get("/b/not-a-token/tickets/print").status_code == 404


def test_cancelled_booking_prints_nothing(english, family, frozen_clock):
    cancel_booking(_booking(family["booking_id"]), at=frozen_clock.at)
    db.session.commit()
    html = english.get(f"/b/{family['token']}/tickets/print").get_data(as_text=True)
    assert 'id="no-tickets"' in html and 'class="print-card"' not in html
    manage = english.get(f"/b/{family['token']}").get_data(as_text=True)
    assert "/tickets/print" not in manage


def test_staff_print_needs_staff_and_is_audited(client, family):
    staff, volunteer = make_user("staff"), make_user("volunteer")
    db.session.commit()
    url = f"/staff/bookings/{family['booking_id']}/tickets/print"

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login")

    login(client, volunteer.email, PASSWORD)
    assert client.get(url).status_code == 403
    assert audit_log() == []
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    login(client, staff.email, PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="print-card"') == 4
    assert response.headers["Cache-Control"] == "private, no-store"
    (entry,) = audit_log()
    assert entry.action == "print_tickets" and entry.actor_id == staff.id
    assert (entry.object_type, entry.object_id) == ("booking", family["booking_id"])
    assert entry.details == {"tickets": 4}

    assert client.get("/staff/bookings/999999/tickets/print").status_code == 404
