"""Pages with personal data are kept by no cache (a shared computer's "back" button, a proxy);
pages and files without it keep their own caching."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checkin.extensions import db
from tests.factories import PASSWORD, make_booking, make_session, make_user
from tests.web.helpers import login


@pytest.fixture
def world(app, frozen_clock):
    session = make_session(starts_in=timedelta(hours=2))
    booking = make_booking(session, people=["Amina"])
    users = {role: make_user(role) for role in ("staff", "volunteer")}
    db.session.commit()
    return {
        "session": session.id,
        "booking": booking.id,
        "participant": booking.attendees[0].participant_id,
        "ticket": booking.attendees[0].ticket_code,
        "token": booking.manage_token,
        "slug": session.activity.slug,
        "users": {role: user.email for role, user in users.items()},
    }


def cache_control(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.headers.get("Cache-Control", "")


def test_staff_pages_are_never_stored(client, world):
    login(client, world["users"]["staff"], PASSWORD)
    for url in (
        f"/staff/bookings/{world['booking']}",
        f"/staff/people/{world['participant']}",
        "/staff/",
        f"/staff/sessions/{world['session']}",
    ):
        assert cache_control(client, url) == "private, no-store", url


def test_desk_pages_and_api_are_never_stored(client, world):
    login(client, world["users"]["volunteer"], PASSWORD)
    assert cache_control(client, f"/desk/sessions/{world['session']}") == "private, no-store"
    assert cache_control(client, "/api/v1/sessions") == "private, no-store"


def test_resident_pages_are_never_stored(client, world):
    for url in (
        f"/b/{world['token']}",
        f"/b/{world['token']}/data.json",
        f"/t/{world['ticket']}",
        f"/b/{world['token']}/tickets/print",
    ):
        assert cache_control(client, url) == "private, no-store", url


def test_what_may_be_cached_keeps_its_policy(client, world):
    assert "immutable" in cache_control(client, f"/t/{world['ticket']}.svg")
    assert cache_control(client, "/t/sw.js") == "no-cache"
    assert "no-store" not in cache_control(client, f"/activities/{world['slug']}")
