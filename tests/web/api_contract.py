"""Desk API responses checked against the OpenAPI document the app serves: the status must be
documented for the operation, and the body must match that status's schema."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_schema_validator import OAS31Validator


def _template(document: dict, path: str) -> str:
    path = path.removeprefix(document["servers"][0]["url"])
    for template in document["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return template
    raise AssertionError(f"{path} is not in the document")


def check_response(document: dict, response, path: str | None = None, method: str | None = None):
    """The JSON body of ``response`` once it matched the document; ``path`` (a document path)
    and ``method`` default to the request's."""
    request = response.request
    template = path or _template(document, request.path)
    operation = document["paths"][template][(method or request.method).lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (template, status, response.get_json())
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    assert response.mimetype == "application/json", (template, status)
    body = response.get_json()
    OAS31Validator({**schema, "components": document["components"]}).validate(body)
    return body


def check_every_api_response(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, every /api/v1 response ``client`` receives is checked against the
    document (the document itself excepted)."""
    document = client.get("/api/v1/openapi.json").get_json()
    sent = client.open

    def open_and_check(*args: Any, **kwargs: Any):
        response = sent(*args, **kwargs)
        path = response.request.path
        if path.startswith("/api/v1/") and path != "/api/v1/openapi.json":
            check_response(document, response)
        return response

    monkeypatch.setattr(client, "open", open_and_check)
