"""Limits on what one request may carry, enforced before any view or parser reads it.

- Its size: ``MAX_CONTENT_LENGTH`` (config, 1 MB). Werkzeug refuses a longer body with 413
  when it is read (``errors`` words it), so a 10 MB form field is neither parsed nor echoed.
- A JSON body's nesting: at most ``MAX_JSON_DEPTH`` levels of ``[`` and ``{``. A parser
  recurses once per level, so 100,000 ``[`` would exhaust Python's stack in ``json.loads``;
  the depth is counted on the raw bytes first, by a loop that never recurses, for every JSON
  body whoever parses it, and a deeper body is refused with 400 ``invalid_request``.
- Query string values lose their control characters (``Request.args``), as form fields do
  (``blueprints.form_base``): a search box's ``?q=`` with a NUL must not reach PostgreSQL.
"""

from __future__ import annotations

import re

import flask
from flask import Flask, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.utils import cached_property

from checkin.bounds import strip_control_characters

MAX_JSON_DEPTH = 32  # the desk's deepest body (a sync item's list of ids) is 3 levels deep
# A JSON string, escapes included, written so that matching never backtracks.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``body`` nests arrays and objects more than ``limit`` deep (brackets inside
    strings do not count). Malformed JSON is left for the parser to refuse."""
    depth = 0
    for byte in _JSON_STRING.sub(b'""', body).translate(None, _NOT_A_BRACKET):
        if byte in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class JSONTooDeep(BadRequest):
    """400 in the desk API's words: ``invalid_request``, the whole body at fault."""

    error_code = "invalid_request"
    fields = {"body": "too_deep"}


class Request(flask.Request):
    @cached_property
    def args(self) -> MultiDict[str, str]:  # type: ignore[override]
        """The query string's values without control characters. (Werkzeug's own ``args``
        parses it; this property then replaces that cached value with the clean one.)"""
        parsed = super().args
        return self.parameter_storage_class(
            (name, strip_control_characters(value)) for name, value in parsed.items(multi=True)
        )


def init_app(app: Flask) -> None:
    app.request_class = Request

    @app.before_request
    def refuse_deep_json() -> None:
        if request.is_json and json_too_deep(request.get_data(cache=True)):
            raise JSONTooDeep()
