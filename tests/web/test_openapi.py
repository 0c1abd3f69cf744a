"""The desk API against its own OpenAPI document: the document is valid OpenAPI 3.1, real
responses of every endpoint match it, and a bounded Schemathesis run (positive and negative
examples, through the Flask app, no network) finds no server error and no undocumented answer."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate as validate_spec
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from checkin.extensions import db
from checkin.services import clock
from checkin.services.desk import SYNC_TYPES, create_desk_link
from tests.factories import make_activity, make_booking, make_session
from tests.web.api_contract import check_response

EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def desk(app, client, frozen_clock) -> dict:
    activity = make_activity(name="Lektiecafé", default_capacity=20)
    session = make_session(activity, starts_in=timedelta(hours=1))
    family = make_booking(session, people=["Amina", "Omar"], name="Hans Ørsted")
    _link, token, pin = create_desk_link("Tablet", by=None, at=clock.now())
    db.session.commit()
    opened = client.post("/api/v1/desk-links/open", json={"token": token, "pin": pin})
    return {
        "session_id": session.id,
        "codes": [a.ticket_code for a in family.attendees],
        "ids": [a.id for a in family.attendees],
        "household": family.household_code,
        "headers": {"Authorization": "Bearer " + opened.get_json()["token"]},
        "opened": opened,
    }


def test_document_is_valid_openapi_31(document):
    validate_spec(document)
    assert document["openapi"].startswith("3.1")
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert operations == {
        "listSessions",
        "ticketList",
        "counters",
        "search",
        "scan",
        "household",
        "walkIn",
        "headcount",
        "undo",
        "sync",
        "feedback",
        "openDeskLink",
    }


def _checker(document: dict):
    def check(response, path: str, method: str = "post") -> dict:
        return check_response(document, response, path, method)

    return check


def test_real_responses_of_every_endpoint_match_the_document(client, document, desk):
    check = _checker(document)
    headers = desk["headers"]
    base = f"/api/v1/sessions/{desk['session_id']}"
    now = clock.now().isoformat()

    def w(**extra):
        return {"client_id": str(uuid.uuid4()), "occurred_at": now, **extra}

    check(desk["opened"], "/desk-links/open")
    check(
        client.post("/api/v1/desk-links/open", json={"token": "x", "pin": "1"}), "/desk-links/open"
    )
    check(client.get("/api/v1/sessions", headers=headers), "/sessions", "get")
    check(client.get("/api/v1/sessions"), "/sessions", "get")
    p = "/sessions/{session_id}"
    check(client.get(base + "/tickets", headers=headers), p + "/tickets", "get")
    check(client.get(base + "/counters", headers=headers), p + "/counters", "get")
    check(client.get("/api/v1/sessions/9999/counters", headers=headers), p + "/counters", "get")
    check(client.get(base + "/search?q=orsted", headers=headers), p + "/search", "get")
    check(client.get(base + "/search", headers=headers), p + "/search", "get")
    for code in (desk["codes"][0], desk["codes"][0], desk["household"], "nonsense"):
        check(client.post(base + "/scan", json=w(code=code), headers=headers), p + "/scan")
    check(client.post(base + "/scan", json={"bad": 1}, headers=headers), p + "/scan")
    household = client.post(
        base + "/household",
        json=w(code=desk["household"], attendee_ids=desk["ids"][1:]),
        headers=headers,
    )
    made = check(household, p + "/household")
    check(
        client.post(
            base + "/household",
            json=w(code=desk["household"], attendee_ids=[1234]),
            headers=headers,
        ),
        p + "/household",
    )
    check(client.post(base + "/walk-ins", json=w(age_band="65+"), headers=headers), p + "/walk-ins")
    check(
        client.post(base + "/headcount", json=w(age_band="youth", count=2), headers=headers),
        p + "/headcount",
    )
    check(
        client.post(base + "/undo", json=w(check_in_id=made["check_in_id"]), headers=headers),
        p + "/undo",
    )
    sync = {"items": [{"type": "scan", **w(code=desk["codes"][1])}, {"type": "undo", **w()}]}
    check(client.post(base + "/sync", json=sync, headers=headers), p + "/sync")
    tap = {"client_id": str(uuid.uuid4()), "score": 3}
    check(client.post(base + "/feedback", json=tap, headers=headers), p + "/feedback")
    tap = {"client_id": str(uuid.uuid4()), "score": 3}
    check(client.post(base + "/feedback", json=tap, headers=headers), p + "/feedback")


def test_schemathesis_finds_no_server_error_or_undocumented_answer(app, desk):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    path_parameters = {"session_id": desk["session_id"]}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(
                generation_mode=mode, headers=desk["headers"], path_parameters=path_parameters
            )

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case):
                case.call_and_validate(headers=desk["headers"], checks=checks)

            try:
                run()
            except Unsatisfiable:
                # Nothing invalid to send: no body or query, and the path parameter is fixed.
                assert mode == GenerationMode.NEGATIVE, operation.label


def test_every_kind_of_queued_action_has_its_own_model(document):
    items = document["components"]["schemas"]["SyncRequest"]["properties"]["items"]["items"]
    assert set(items["discriminator"]["mapping"]) == set(SYNC_TYPES)
    assert len(items["oneOf"]) == len(SYNC_TYPES)
