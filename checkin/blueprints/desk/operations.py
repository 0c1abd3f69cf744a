"""The desk API's operations, declared once on each route, and its OpenAPI document.

``@operation(...)`` names a route's request model (a JSON body or query parameters) and its
response model. The decorator parses the request with the one and makes the view answer with
the other (``Model(...).model_dump(mode="json")``); the OpenAPI 3.1 document is generated from
the same declarations and the app's URL map, so no schema is written by hand and the document
cannot describe a request or a response the API does not accept or send.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Flask, jsonify, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from checkin.blueprints.desk import contracts
from checkin.blueprints.desk.blueprint import api
from checkin.blueprints.desk.invalid import InvalidRequest
from checkin.boundary import MAX_ID

REF = "#/components/schemas/{model}"


@dataclass(frozen=True)
class Operation:
    operation_id: str
    summary: str
    response: type[BaseModel]
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    public: bool = False
    errors: dict[int, str] = field(default_factory=dict)


OPERATIONS: dict[str, Operation] = {}  # by Flask endpoint


def operation(
    operation_id: str, summary: str, **spec: Any
) -> Callable[[Callable[..., BaseModel]], Callable[..., Any]]:
    """Declare a view's contract: it gets ``body=`` and/or ``query=`` parsed with the declared
    models (refused as ``InvalidRequest``) and returns an instance of the response model."""
    declared = Operation(operation_id, summary, **spec)

    def decorate(view: Callable[..., BaseModel]) -> Callable[..., Any]:
        OPERATIONS[f"{api.name}.{view.__name__}"] = declared

        @wraps(view)
        def answer(**kwargs: Any):
            if declared.body is not None:
                kwargs["body"] = parse(declared.body, request_json())
            if declared.query is not None:
                kwargs["query"] = parse(declared.query, request.args.to_dict())
            result = view(**kwargs)
            if not isinstance(result, declared.response):
                raise TypeError(f"{view.__name__} must answer a {declared.response.__name__}")
            return jsonify(result.model_dump(mode="json")), declared.status

        return answer

    return decorate


def request_json() -> bytes:
    """The raw JSON body, or ``null`` (refused as not an object) when there is none."""
    return (request.get_data(cache=True) if request.is_json else b"") or b"null"


def parse(model: type[BaseModel], data: Any) -> Any:
    """JSON bytes strictly (JSON has integers and booleans), anything else (a query or a form's
    text) leniently; a refusal becomes ``InvalidRequest``."""
    try:
        if isinstance(data, bytes):
            return model.model_validate_json(data, strict=True)
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidRequest(error) from error


def is_public(endpoint: str | None) -> bool:
    declared = OPERATIONS.get(endpoint or "")
    return declared is not None and declared.public


# --- The OpenAPI document ----------------------------------------------------------------------

ERRORS = {
    400: "Invalid request (invalid_request with fields, e.g. a body nested too deep; or "
    "csrf_failed)",
    401: "Not authenticated (unauthorized, invalid_token)",
    403: "Not allowed (forbidden)",
    404: "No such session (not_found)",
    413: "The body is larger than the server takes (request_entity_too_large)",
    422: "A rule refused (its error code)",
}
PATH_PARAMETERS = {"id": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
DESCRIPTION = (
    "The volunteer's check-in desk. Every write carries a client-generated UUID (`client_id`) "
    "and the time it happened (`occurred_at`); a repeated client id answers the original "
    "result. Authenticate with a desk token (`Authorization: Bearer`) or the session cookie; "
    'cookie-authenticated writes need `X-CSRFToken`. Errors are `{"error": {"code", '
    '"message", "field"?, "fields"?}}`; the code is stable, the message translated.'
)


def _json(description: str, ref: dict[str, str]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def _path(rule: str, prefix: str) -> tuple[str, list[dict[str, Any]]]:
    """An OpenAPI path and its parameters from a Flask rule such as ``/x/<id:session_id>``."""
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": PATH_PARAMETERS[converter or "default"],
        }
        for converter, name in _ARGUMENT.findall(rule)
    ]
    return _ARGUMENT.sub(r"{\2}", rule.removeprefix(prefix)), parameters


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    parameters = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in prop.items() if k not in ("title", "description")}
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": name in schema.get("required", ()),
                "description": model.model_fields[name].description or "",
                "schema": prop,
            }
        )
    return parameters


def _operation(spec: Operation, parameters: list[dict[str, Any]], refs: dict) -> dict[str, Any]:
    error = refs[(contracts.Error, "serialization")]
    codes = {400, 403} if spec.public else {400, 401, 403}
    if any(p["in"] == "path" for p in parameters):
        codes.add(404)
    if spec.body is not None:
        codes |= {413, 422}
    responses = {str(spec.status): _json("Success", refs[(spec.response, "serialization")])}
    for status in sorted(codes | set(spec.errors)):
        responses[str(status)] = _json(spec.errors.get(status) or ERRORS[status], error)
    op: dict[str, Any] = {
        "operationId": spec.operation_id,
        "summary": spec.summary,
        "parameters": parameters
        + (_query_parameters(spec.query) if spec.query is not None else []),
        "responses": responses,
    }
    if spec.body is not None:
        body = refs[(spec.body, "validation")]
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if spec.public:
        op["security"] = []
    return op


def openapi_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every declared operation, built once per app."""
    if "desk_openapi" not in app.extensions:
        app.extensions["desk_openapi"] = _build(app, api.url_prefix or "")
    return app.extensions["desk_openapi"]


def _build(app: Flask, prefix: str) -> dict[str, Any]:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint in OPERATIONS]
    specs = [OPERATIONS[r.endpoint] for r in rules]
    models: set[tuple[type[BaseModel], JsonSchemaMode]] = {(contracts.Error, "serialization")}
    models |= {(s.response, "serialization") for s in specs}
    models |= {(s.body, "validation") for s in specs if s.body is not None}
    ordered = sorted(models, key=lambda pair: (pair[0].__name__, pair[1]))
    refs, schemas = models_json_schema(ordered, ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for rule, spec in zip(rules, specs, strict=True):
        path, parameters = _path(rule.rule, prefix)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(spec, parameters, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Nordby Check-in desk API",
            "version": "1.0.0",
            "description": DESCRIPTION,
        },
        "servers": [{"url": prefix}],
        "security": [{"bearerAuth": []}, {"cookieAuth": [], "csrfToken": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
        },
    }
