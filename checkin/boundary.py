"""The request boundary: the one place a web request's database work is committed.

Services flush but never commit (DESIGN.md §3). A request that ends in a success or a redirect
(status below 400) commits once, after the view returned; any other ending (a refused form, a
404, an error page) rolls back, so a request is all or nothing. Messages the request queued in
the outbox are handed to delivery only after that commit, once the response has been sent.

Also here: the URL converters. ``<id:...>`` keeps ids within the database's integer range, and
every other ``<name>`` is a bounded path segment without control characters, so a too-large id
or a NUL in a token is a 404 and never reaches the database.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from flask import Flask, Response, current_app
from werkzeug.routing import IntegerConverter, UnicodeConverter

from checkin.extensions import db
from checkin.services import clock
from checkin.services.notify import deliver_messages, forget_owed_messages, take_owed_messages

log = logging.getLogger(__name__)

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
MAX_SEGMENT = 200  # characters in a slug, token or code in a path (the longest is 64)
M = TypeVar("M")


class IdConverter(IntegerConverter):
    """``<id:name>``: a positive database id; anything else, or past ``MAX_ID``, does not match."""

    def __init__(self, url_map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


class TextConverter(UnicodeConverter):
    """``<name>`` (the default converter): one path segment of at most ``MAX_SEGMENT``
    characters and no control characters (PostgreSQL text cannot hold NUL)."""

    def __init__(self, url_map, minlength: int = 1, maxlength: int = MAX_SEGMENT, length=None):
        super().__init__(url_map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]")


def parse_id(raw: str) -> int | None:
    """An id typed into a form or query string, or None when it cannot be one. Only ASCII
    digits count ("²" is a digit to ``str.isdigit`` but not to ``int``), and never so many
    that ``int`` would refuse the string."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_ID))):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def get_by_raw_id(model: type[M], raw: str | None) -> M | None:
    """The row whose id was typed into a form or query string, or None (without asking the
    database) when ``raw`` cannot be an id."""
    object_id = parse_id(raw or "")
    return db.session.get(model, object_id) if object_id is not None else None


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter

    @app.after_request
    def finish_transaction(response: Response) -> Response:
        if response.status_code >= 400:
            db.session.rollback()
            forget_owed_messages(db.session())
            return response
        db.session.commit()
        owed = take_owed_messages(db.session())
        if owed and current_app.config["NOTIFY_DELIVER_AFTER_RESPONSE"]:
            real_app = current_app._get_current_object()  # type: ignore[attr-defined]
            response.call_on_close(lambda: _deliver_after_response(real_app, owed))
        return response


def _deliver_after_response(app: Flask, ids: list[int]) -> None:
    """Runs once the response has gone out; records failures, never raises."""
    try:
        with app.app_context():
            deliver_messages(ids, at=clock.now())
    except Exception:  # the resident already has the page; `flask send-outbox` retries later
        log.exception("Delivering messages %s after the response failed", ids)
