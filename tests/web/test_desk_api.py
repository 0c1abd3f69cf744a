"""The desk's JSON API through the test client, CSRF on: authentication, every endpoint's
happy path and its error codes. Every response is checked against the OpenAPI document."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from checkin.extensions import db
from checkin.services import clock
from checkin.services.desk import code_hash, create_desk_link, revoke_desk_link
from tests.factories import PASSWORD, make_activity, make_booking, make_session, make_user
from tests.web.api_contract import check_every_api_response
from tests.web.helpers import csrf_token, login


def cid() -> str:
    return str(uuid.uuid4())


def write(**extra) -> dict:
    return {"client_id": cid(), "occurred_at": clock.now().isoformat(), **extra}


@pytest.fixture(autouse=True)
def _responses_match_the_document(client, monkeypatch):
    check_every_api_response(client, monkeypatch)


@pytest.fixture
def world(app, frozen_clock):
    activity = make_activity(name="Lektiecafé", default_capacity=20)
    session = make_session(activity, starts_in=timedelta(hours=1))
    other = make_session(activity, starts_in=timedelta(days=7))
    family = make_booking(session, people=["Amina", "Omar", "Leila"], name="Hans Ørsted")
    later = make_booking(other, people=["Mette"])
    volunteer = make_user("volunteer")
    link, token, pin = create_desk_link("Tablet 1", by=None, at=clock.now())
    db.session.commit()
    return {
        "session_id": session.id,
        "other_id": other.id,
        "codes": [a.ticket_code for a in family.attendees],
        "ids": [a.id for a in family.attendees],
        "household": family.household_code,
        "later_code": later.attendees[0].ticket_code,
        "volunteer": volunteer.email,
        "link_id": link.id,
        "token": token,
        "pin": pin,
    }


@pytest.fixture
def bearer(client, world) -> dict:
    response = client.post(
        "/api/v1/desk-links/open", json={"token": world["token"], "pin": world["pin"]}
    )
    assert response.status_code == 200, response.get_json()
    return {"Authorization": "Bearer " + response.get_json()["token"]}


def url(world, tail: str) -> str:
    return f"/api/v1/sessions/{world['session_id']}/{tail}"


def test_anonymous_is_refused_with_json_401(client, world):
    for method, tail in [("get", "counters"), ("post", "scan")]:
        response = getattr(client, method)(url(world, tail), json=write(code="X"))
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/sessions").status_code == 401


def test_volunteer_cookie_needs_the_csrf_header_on_writes(client, world):
    login(client, world["volunteer"], PASSWORD)
    assert client.get("/api/v1/sessions").status_code == 200
    body = write(code=world["codes"][0])
    refused = client.post(url(world, "scan"), json=body)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    token = csrf_token(client, "/desk/")
    ok = client.post(url(world, "scan"), json=body, headers={"X-CSRFToken": token})
    assert ok.status_code == 200
    assert ok.get_json()["result"] == "ok"


def test_bearer_token_from_a_desk_link_works_without_csrf(client, world, bearer):
    response = client.post(url(world, "scan"), json=write(code=world["codes"][0]), headers=bearer)
    assert response.get_json()["result"] == "ok"


def test_wrong_pin_bad_token_and_revoked_link_are_refused(client, world, bearer):
    wrong = client.post("/api/v1/desk-links/open", json={"token": world["token"], "pin": "x"})
    assert (wrong.status_code, wrong.get_json()["error"]["code"]) == (403, "wrong_pin")
    unknown = client.post("/api/v1/desk-links/open", json={"token": "nope", "pin": world["pin"]})
    assert unknown.get_json()["error"]["code"] == "invalid_link"
    forged = client.get(url(world, "counters"), headers={"Authorization": "Bearer forged"})
    assert forged.get_json()["error"]["code"] == "invalid_token"
    from checkin.models import DeskLink

    revoke_desk_link(db.session.get(DeskLink, world["link_id"]), at=clock.now())
    db.session.commit()
    revoked = client.get(url(world, "counters"), headers=bearer)
    assert (revoked.status_code, revoked.get_json()["error"]["code"]) == (401, "invalid_token")
    again = client.post(
        "/api/v1/desk-links/open", json={"token": world["token"], "pin": world["pin"]}
    )
    assert again.get_json()["error"]["code"] == "invalid_link"


def test_sessions_tickets_counters_and_search(client, world, bearer):
    sessions = client.get("/api/v1/sessions", headers=bearer).get_json()["sessions"]
    assert [s["id"] for s in sessions] == [world["session_id"]]
    tickets = client.get(url(world, "tickets"), headers=bearer).get_json()
    assert {t["code_hash"] for t in tickets["tickets"]} == {code_hash(c) for c in world["codes"]}
    assert tickets["households"][0]["code_hash"] == code_hash(world["household"])
    counters = client.get(url(world, "counters"), headers=bearer).get_json()
    assert (counters["booked"], counters["checked_in"], len(counters["not_arrived"])) == (3, 0, 3)
    hits = client.get(url(world, "search") + "?q=orsted", headers=bearer).get_json()["results"]
    assert [h["first_name"] for h in hits] == ["Amina", "Leila", "Omar"]
    missing = client.get(url(world, "search"), headers=bearer).get_json()["error"]
    assert (missing["code"], missing["fields"]) == ("invalid_request", {"q": "required"})
    assert client.get("/api/v1/sessions/999999/counters", headers=bearer).status_code == 404


def test_scan_results_replay_and_validation(client, world, bearer):
    body = write(code=world["codes"][0])
    first = client.post(url(world, "scan"), json=body, headers=bearer).get_json()
    assert (first["result"], first["first_names"]) == ("ok", ["Amina"])
    replay = client.post(url(world, "scan"), json=body, headers=bearer).get_json()
    assert replay["result"] == "ok" and replay["replayed"]
    again = client.post(url(world, "scan"), json=write(code=world["codes"][0]), headers=bearer)
    assert again.get_json()["result"] == "already_checked_in"
    assert again.get_json()["checked_in_by"] == "Tablet 1"
    wrong = client.post(url(world, "scan"), json=write(code=world["later_code"]), headers=bearer)
    assert wrong.get_json()["sessions"][0]["id"] == world["other_id"]
    anyway = write(code=world["later_code"], override_reason="Sister")
    assert client.post(url(world, "scan"), json=anyway, headers=bearer).get_json()["result"] == "ok"
    invalid = client.post(url(world, "scan"), json=write(code="nonsense"), headers=bearer)
    assert invalid.get_json()["result"] == "invalid"
    bad = client.post(url(world, "scan"), json={"client_id": "x", "extra": 1}, headers=bearer)
    assert bad.status_code == 400
    assert bad.get_json()["error"]["fields"] == {
        "extra": "unknown_field",
        "client_id": "not_a_uuid",
        "occurred_at": "required",
    }
    neither = client.post(url(world, "scan"), json=write(), headers=bearer)
    assert neither.get_json()["error"]["fields"] == {"code": "required"}


def test_household_walk_in_headcount_undo(client, world, bearer):
    listed = client.post(url(world, "scan"), json=write(code=world["household"]), headers=bearer)
    assert listed.get_json()["result"] == "household"
    came = client.post(
        url(world, "household"),
        json=write(code=world["household"], attendee_ids=world["ids"][:2]),
        headers=bearer,
    ).get_json()
    assert (came["result"], came["first_names"]) == ("ok", ["Amina", "Omar"])
    stranger = client.post(
        url(world, "household"),
        json=write(code=world["household"], attendee_ids=[999]),
        headers=bearer,
    )
    assert (stranger.status_code, stranger.get_json()["error"]["code"]) == (422, "unknown_attendee")
    walk_in = client.post(
        url(world, "walk-ins"), json=write(first_name="Ali", age_band="10-12"), headers=bearer
    )
    assert walk_in.status_code == 201 and walk_in.get_json()["result"] == "ok"
    no_band = client.post(url(world, "walk-ins"), json=write(age_band="7-8"), headers=bearer)
    assert no_band.get_json()["error"]["fields"] == {"age_band": "unknown_value"}
    count = client.post(url(world, "headcount"), json=write(age_band="adult"), headers=bearer)
    assert count.status_code == 201
    undo = client.post(
        url(world, "undo"), json=write(check_in_id=came["check_in_id"]), headers=bearer
    )
    assert undo.get_json()["result"] == "undone"
    counters = client.get(url(world, "counters"), headers=bearer).get_json()
    assert (counters["checked_in"], counters["walk_ins"], counters["headcount"]) == (1, 1, 1)
    neither = client.post(url(world, "undo"), json=write(), headers=bearer)
    assert neither.status_code == 400


def test_sync_twice_and_feedback_throttle(client, world, bearer, frozen_clock):
    earlier = (clock.now() - timedelta(minutes=5)).isoformat()
    items = [
        {"type": "scan", "client_id": cid(), "occurred_at": earlier, "code": code}
        for code in world["codes"]
    ] + [
        {
            "type": "scan",
            "client_id": cid(),
            "occurred_at": earlier,
            "code": "X",
            "offline_result": "invalid",
        },
        {"type": "headcount", "client_id": cid(), "occurred_at": earlier, "age_band": "child"},
    ]
    first = client.post(url(world, "sync"), json={"items": items}, headers=bearer).get_json()
    assert [r["result"] for r in first["results"]] == ["ok", "ok", "ok", "invalid", "ok"]
    second = client.post(url(world, "sync"), json={"items": items}, headers=bearer).get_json()
    assert [r["replayed"] for r in second["results"]] == [True] * len(items)
    counters = client.get(url(world, "counters"), headers=bearer).get_json()
    assert (counters["checked_in"], counters["headcount"]) == (3, 1)
    bad = client.post(url(world, "sync"), json={"items": [{"type": "dance"}]}, headers=bearer)
    assert "items[0].type" in bad.get_json()["error"]["fields"]

    tap = client.post(url(world, "feedback"), json={"client_id": cid(), "score": 5}, headers=bearer)
    assert tap.status_code == 201
    fast = client.post(
        url(world, "feedback"), json={"client_id": cid(), "score": 1}, headers=bearer
    )
    assert (fast.status_code, fast.get_json()["error"]["code"]) == (429, "too_fast")
    frozen_clock.advance(seconds=4)
    later = client.post(
        url(world, "feedback"), json={"client_id": cid(), "score": 4}, headers=bearer
    )
    assert later.status_code == 201


def test_each_queued_action_has_exactly_its_own_fields(client, world, bearer):
    def refused(item: dict) -> dict:
        response = client.post(url(world, "sync"), json={"items": [item]}, headers=bearer)
        assert response.status_code == 400
        return response.get_json()["error"]["fields"]

    assert refused({"type": "headcount", **write(age_band="adult", code="X")}) == {
        "items[0].code": "unknown_field"
    }
    assert refused({"type": "undo", **write()}) == {"items[0].check_in_id": "required"}
    assert refused(write(code="X")) == {"items[0].type": "required"}
    assert refused({"type": "scan", **write(code="X", attendee_id="12")}) == {
        "items[0].attendee_id": "not_an_integer"
    }
    items = [
        {"type": "walk_in", **write(age_band="65+", is_resident=True)},
        {"type": "household", **write(code=world["household"], attendee_ids=world["ids"][:1])},
    ]
    answers = client.post(url(world, "sync"), json={"items": items}, headers=bearer).get_json()
    assert [a["result"] for a in answers["results"]] == ["ok", "ok"]


def test_bodies_are_typed_strictly(client, world, bearer):
    def fields(**body) -> dict:
        response = client.post(url(world, "scan"), json=body, headers=bearer)
        assert response.status_code == 400
        return response.get_json()["error"]["fields"]

    naive = clock.now().replace(tzinfo=None).isoformat()
    assert fields(**write(occurred_at=naive, code="X")) == {"occurred_at": "no_time_zone"}
    assert fields(**write(occurred_at="1999-12-31T23:00:00Z", code="X")) == {
        "occurred_at": "out_of_range"
    }
    assert fields(**write(code="A\x00B")) == {"code": "control_characters"}
    assert fields(**write(attendee_id=2**31)) == {"attendee_id": "out_of_range"}
    assert fields(**write(code=True)) == {"code": "not_a_string"}
    not_json = client.post(url(world, "scan"), data="code=X", headers=bearer)
    assert not_json.get_json()["error"]["fields"] == {"body": "not_an_object"}
    padded_code = f"  {world['codes'][0]}\n"
    padded = client.post(url(world, "scan"), json=write(code=padded_code), headers=bearer)
    assert padded.get_json()["result"] == "ok"


def test_a_household_member_is_undone_by_the_action_and_the_person(client, world, bearer):
    body = write(code=world["household"], attendee_ids=world["ids"][:2])
    came = client.post(url(world, "household"), json=body, headers=bearer).get_json()
    assert came["result"] == "ok"
    # The desk names a check-in by the action's client id and, for one person, their id.
    target = {"target_client_id": body["client_id"], "target_attendee_id": world["ids"][1]}
    undone = client.post(url(world, "undo"), json=write(**target), headers=bearer).get_json()
    assert (undone["result"], undone["attendee"]["id"]) == ("undone", world["ids"][1])
    queued = {"type": "undo", **write(**{**target, "target_attendee_id": world["ids"][0]})}
    synced = client.post(url(world, "sync"), json={"items": [queued]}, headers=bearer).get_json()
    assert synced["results"][0]["result"] == "undone"
    # A person that action did not admit is not found; a single scan is named the same way.
    stranger = write(**{**target, "target_attendee_id": world["ids"][2]})
    missing = client.post(url(world, "undo"), json=stranger, headers=bearer).get_json()
    assert missing["result"] == "not_found"
    scan = write(code=world["codes"][2])
    assert client.post(url(world, "scan"), json=scan, headers=bearer).get_json()["result"] == "ok"
    single = write(target_client_id=scan["client_id"], target_attendee_id=world["ids"][2])
    assert client.post(url(world, "undo"), json=single, headers=bearer).get_json()["result"] == (
        "undone"
    )
    legacy = f"{body['client_id']}/{world['ids'][1]}"  # the string the page used to build
    bad = client.post(url(world, "undo"), json=write(target_client_id=legacy), headers=bearer)
    assert bad.get_json()["error"]["fields"] == {"target_client_id": "not_a_uuid"}


def test_ids_outside_the_database_range_are_json_404(client, world, bearer):
    for session_id in (0, 2**31, 10**12):
        response = client.get(f"/api/v1/sessions/{session_id}/counters", headers=bearer)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_messages_are_in_the_desk_language(client, world):
    danish = client.get(url(world, "counters")).get_json()["error"]
    client.set_cookie("lang", "en")
    english = client.get(url(world, "counters")).get_json()["error"]
    assert danish["code"] == english["code"] == "unauthorized"
    assert danish["message"] != english["message"]


def test_a_walk_in_without_an_age_is_refused_online_and_in_a_sync(client, world, bearer):
    """Issue 11, defect 4: no walk-in is stored with a default age; "unknown" is an answer."""
    missing = client.post(url(world, "walk-ins"), json=write(first_name="Ali"), headers=bearer)
    assert missing.status_code == 422
    error = missing.get_json()["error"]
    assert (error["code"], error["field"]) == ("age_required", "age_band")
    queued = {"type": "walk_in", **write(first_name="Ali")}
    synced = client.post(url(world, "sync"), json={"items": [queued]}, headers=bearer)
    assert synced.get_json()["results"][0]["result"] != "ok"
    unknown = client.post(
        url(world, "walk-ins"), json=write(first_name="Ali", age_band="unknown"), headers=bearer
    )
    assert unknown.status_code == 201 and unknown.get_json()["result"] == "ok"
    counters = client.get(url(world, "counters"), headers=bearer).get_json()
    assert counters["walk_ins"] == 1
