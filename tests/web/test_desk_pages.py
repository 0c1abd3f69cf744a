"""The desk pages work as plain forms without JavaScript, CSRF on, in English."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import CheckIn, Feedback
from checkin.services import clock
from checkin.services.desk import create_desk_link
from tests.factories import PASSWORD, make_activity, make_booking, make_session, make_user
from tests.web.helpers import login

_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'name="(csrf_token|client_id)" value="([^"]+)"')


def form_fields(html: str, action: str, occurrence: int = 0) -> dict:
    """The hidden csrf_token and client_id of the ``occurrence``-th form posting to ``action``."""
    forms = [body for url, body in _FORM.findall(html) if url == action]
    return dict(_HIDDEN.findall(forms[occurrence]))


@pytest.fixture
def desk(app, client, frozen_clock):
    client.set_cookie("lang", "en")
    activity = make_activity(name="Lektiecafé", default_capacity=20)
    session = make_session(activity, starts_in=timedelta(hours=1))
    family = make_booking(session, people=["Amina", "Omar"], name="Hans Ørsted")
    volunteer = make_user("volunteer")
    staff = make_user("staff")
    db.session.commit()
    return {
        "id": session.id,
        "url": f"/desk/sessions/{session.id}",
        "codes": [a.ticket_code for a in family.attendees],
        "ids": [a.id for a in family.attendees],
        "household": family.household_code,
        "volunteer": volunteer.email,
        "staff": staff.email,
    }


def post(client, desk, tail: str, **data):
    html = client.get(desk["url"]).get_data(as_text=True)
    fields = form_fields(html, f"{desk['url']}/{tail}")
    return client.post(f"{desk['url']}/{tail}", data={**fields, **data})


def post_any(client, desk, tail: str, **data):
    """Post to a desk form the page does not show right now (a household's people)."""
    html = client.get(desk["url"]).get_data(as_text=True)
    token = form_fields(html, f"{desk['url']}/scan")["csrf_token"]
    fields = {"csrf_token": token, "client_id": str(uuid.uuid4())}
    return client.post(f"{desk['url']}/{tail}", data={**fields, **data})


def active() -> int:
    return db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.undone_at.is_(None)))


def test_start_needs_a_login(client, desk):
    assert client.get("/desk/").status_code == 302
    login(client, desk["volunteer"], PASSWORD)
    page = client.get("/desk/").get_data(as_text=True)
    assert "sessions" in page and "Lektiecafé" in page


def test_scan_by_typed_code_search_walk_in_headcount(client, desk):
    login(client, desk["volunteer"], PASSWORD)
    page = client.get(desk["url"]).get_data(as_text=True)
    assert f'data-session-id="{desk["id"]}"' in page and 'id="scan-form"' in page
    ok = post(client, desk, "scan", code=desk["codes"][0])
    assert 'data-result="ok"' in ok.get_data(as_text=True)
    again = post(client, desk, "scan", code=desk["codes"][0])
    assert 'data-result="already_checked_in"' in again.get_data(as_text=True)
    found = client.get(desk["url"] + "?q=omar").get_data(as_text=True)
    assert 'id="search-results"' in found and "Omar" in found
    hit = form_fields(found, f"{desk['url']}/scan", occurrence=1)
    checked = client.post(f"{desk['url']}/scan", data={**hit, "attendee_id": desk["ids"][1]})
    assert 'data-result="ok"' in checked.get_data(as_text=True)
    walk_in = post(client, desk, "walk-in", first_name="Ali", age_band="10-12", is_resident="yes")
    assert 'data-result="ok"' in walk_in.get_data(as_text=True)
    counted = post(client, desk, "headcount", group="senior")
    assert 'data-result="ok"' in counted.get_data(as_text=True)
    db.session.expire_all()
    assert active() == 4


def test_replayed_form_acts_once(client, desk):
    login(client, desk["volunteer"], PASSWORD)
    html = client.get(desk["url"]).get_data(as_text=True)
    fields = form_fields(html, f"{desk['url']}/headcount")
    for _ in range(2):
        client.post(f"{desk['url']}/headcount", data={**fields, "group": "child"})
    assert active() == 1


def test_kiosk_throttle(client, desk, frozen_clock):
    login(client, desk["volunteer"], PASSWORD)
    kiosk = f"{desk['url']}/kiosk"

    def tap(score):
        fields = dict(_HIDDEN.findall(client.get(kiosk).get_data(as_text=True)))
        return client.post(kiosk, data={**fields, "score": score})

    assert tap(5).status_code == 303
    assert tap(1).status_code == 429
    frozen_clock.advance(seconds=3)
    assert tap(4).status_code == 303
    assert db.session.scalar(select(func.count(Feedback.id))) == 2


def test_paper_list_and_staff_entry(client, desk):
    login(client, desk["volunteer"], PASSWORD)
    paper = client.get(f"{desk['url']}/paper").get_data(as_text=True)
    assert "Amina" in paper and "tick-box" in paper and "Ørsted" not in paper
    assert client.get(f"{desk['url']}/paper/enter").status_code == 403
    client.post("/logout", data=dict(_HIDDEN.findall(paper)))
    login(client, desk["staff"], PASSWORD)
    enter = f"{desk['url']}/paper/enter"
    fields = dict(_HIDDEN.findall(client.get(enter).get_data(as_text=True)))
    done = client.post(enter, data={**fields, "attendee_ids": desk["ids"]})
    assert done.status_code == 303
    assert "Everyone booked is checked in." in client.get(enter).get_data(as_text=True)
    methods = db.session.scalars(select(CheckIn.method)).all()
    assert methods == ["paper", "paper"]


def test_desk_link_with_pin_opens_the_desk_and_can_be_revoked(client, desk, app):
    login(client, desk["staff"], PASSWORD)
    links = client.get("/desk/links").get_data(as_text=True)
    created = client.post(
        "/desk/links", data={**dict(_HIDDEN.findall(links)), "name": "Tablet 3"}
    ).get_data(as_text=True)
    url = re.search(r'id="created-url">https?://[^/]+([^<]+)<', created).group(1)
    pin = re.search(r'id="created-pin">(\d{6})<', created).group(1)
    tablet = app.test_client()
    tablet.set_cookie("lang", "en")
    form = dict(_HIDDEN.findall(tablet.get(url).get_data(as_text=True)))
    wrong = tablet.post(url, data={**form, "pin": "000000" if pin != "000000" else "1"})
    assert wrong.status_code == 403  # a refused login, as in the API (errors.REFUSAL_STATUS)
    assert "The PIN is wrong" in wrong.get_data(as_text=True)
    assert tablet.post(url, data={**form, "pin": pin}).status_code == 303
    assert tablet.get("/desk/").status_code == 200
    revoke = re.search(
        r'action="(/desk/links/\d+/revoke)"', client.get("/desk/links").get_data(as_text=True)
    )
    client.post(revoke.group(1), data=dict(_HIDDEN.findall(links)))
    assert tablet.get("/desk/").status_code == 302


def test_forms_parse_with_the_api_contracts_and_show_refusals_in_place(client, desk):
    login(client, desk["volunteer"], PASSWORD)
    unknown_band = post(client, desk, "walk-in", first_name="Ali", age_band="7-8")
    assert unknown_band.status_code == 400
    assert "flash-error" in unknown_band.get_data(as_text=True)
    no_one = post_any(client, desk, "household", code=desk["household"])
    assert no_one.status_code == 400
    assert "Choose people from this household." in no_one.get_data(as_text=True)
    stranger = post_any(client, desk, "household", code=desk["household"], attendee_ids=[999])
    assert stranger.status_code == 422  # a rule refused: the service's message, in place
    assert "flash-error" in stranger.get_data(as_text=True)
    assert post_any(client, desk, "undo", check_in_id="twelve").status_code == 400
    db.session.expire_all()
    assert active() == 0
    both = post_any(client, desk, "household", code=desk["household"], attendee_ids=desk["ids"])
    assert 'data-result="ok"' in both.get_data(as_text=True)
    db.session.expire_all()
    assert active() == 2


def test_ids_outside_the_database_range_are_404(client, desk):
    login(client, desk["staff"], PASSWORD)
    assert client.get("/desk/sessions/2147483648").status_code == 404
    assert client.get("/desk/sessions/0/paper").status_code == 404
    assert client.get(f"{desk['url']}/paper").status_code == 200


def test_a_walk_in_needs_a_chosen_age_and_dont_know_counts_as_unknown(client, desk):
    """Issue 11, defect 4: the age select started on "0-5", so a walk-in saved without choosing
    an age was stored as a child."""
    login(client, desk["volunteer"], PASSWORD)
    page = client.get(desk["url"]).get_data(as_text=True)
    ages = re.search(r'<select id="age_band"[^>]*>(.*?)</select>', page, re.S)
    assert ages and re.search(r'^\s*<option value="">', ages.group(1))  # nothing preselected
    assert '<option value="unknown">Don\'t know</option>' in ages.group(1)
    assert "selected" not in ages.group(1)

    blank = post(client, desk, "walk-in", first_name="Ali", age_band="")
    assert blank.status_code == 422
    assert "Choose the age, or “Don&#39;t know”." in blank.get_data(as_text=True)
    db.session.expire_all()
    assert active() == 0

    unknown = post(client, desk, "walk-in", first_name="Ali", age_band="unknown")
    assert 'data-result="ok"' in unknown.get_data(as_text=True)
    db.session.expire_all()
    row = db.session.scalars(select(CheckIn)).one()
    assert row.attendee.age_band is None  # counted as unknown, never 0-5


def _leave(client, desk, secret: str):
    page = client.get(f"{desk['url']}/kiosk?leave=1").get_data(as_text=True)
    fields = form_fields(page, f"{desk['url']}/kiosk/leave")
    return client.post(f"{desk['url']}/kiosk/leave", data={**fields, "secret": secret})


def test_the_kiosk_is_locked_until_the_volunteer_leaves_it(client, desk):
    """Issue 11, defect 8: the kiosk showed the site header and a link back to the desk, so a
    child reached names and undo buttons."""
    login(client, desk["volunteer"], PASSWORD)
    kiosk = f"{desk['url']}/kiosk"
    page = client.get(kiosk).get_data(as_text=True)
    assert "site-header" not in page and "site-footer" not in page
    assert "Back to the desk" not in page
    links = [h for h in re.findall(r'<a\b[^>]*href="([^"]+)"', page) if not h.startswith("#")]
    assert links == [f"{kiosk}?leave=1"]  # the lock in the corner, nothing else
    assert page.count('<svg class="face"') == 5  # drawn faces, not emoji
    assert "😄" not in page

    # Back button or a typed address: the kiosk again, for every page but the API.
    for path in (desk["url"], "/desk/", "/", "/staff/", f"{desk['url']}/paper"):
        response = client.get(path)
        assert (response.status_code, response.headers["Location"]) == (303, kiosk), path
    assert client.get(f"/api/v1/sessions/{desk['id']}/counters").status_code != 303

    wrong = _leave(client, desk, "not the password")
    assert wrong.status_code == 403 and "The password is wrong." in wrong.get_data(as_text=True)
    assert client.get(desk["url"]).status_code == 303
    right = _leave(client, desk, PASSWORD)
    assert (right.status_code, right.headers["Location"]) == (303, desk["url"])
    assert client.get(desk["url"]).status_code == 200


def test_a_desk_link_tablet_leaves_the_kiosk_with_the_link_pin(app, desk):
    _link, token, pin = create_desk_link("Tablet 1", by=None, at=clock.now())
    db.session.commit()
    tablet = app.test_client()
    tablet.set_cookie("lang", "en")
    opened = tablet.get(f"/desk/link/{token}").get_data(as_text=True)
    token_field = dict(_HIDDEN.findall(opened))["csrf_token"]
    tablet.post(f"/desk/link/{token}", data={"csrf_token": token_field, "pin": pin})
    assert tablet.get(f"{desk['url']}/kiosk").status_code == 200
    assert tablet.get(desk["url"]).status_code == 303
    wrong = _leave(tablet, desk, "000000" if pin != "000000" else "111111")
    assert wrong.status_code == 403 and "The PIN is wrong." in wrong.get_data(as_text=True)
    assert _leave(tablet, desk, pin).headers["Location"] == desk["url"]
    assert tablet.get(desk["url"]).status_code == 200
