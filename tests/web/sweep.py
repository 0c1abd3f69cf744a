"""The route sweep behind tests/web/test_bad_input.py: what each route takes (found on the
pages themselves, in the code and in the API's contracts), who it lets in, and the requests
thrown at it (the rows and users they meet are in ``sweep_world``).

Nothing is listed by hand: routes come from ``app.url_map``; form fields from the pages
(every page is read once, and each ``<form>`` tells which fields its action takes); query
parameters from those forms and from the code (``request.args.get("...")``); JSON bodies from
the API's contracts. A new route, field or parameter is covered the day it is added. A new
*kind* of URL argument needs a real value in ``sweep_world.real_path_values`` (it says so), so that
the hostile values reach the view behind it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from checkin import ROOT
from checkin.blueprints.desk.operations import OPERATIONS
from tests.web import hostile
from tests.web.sweep_world import (
    API_ROLES,
    LOGINS,
    ROLES,
    Visitor,
    World,
    real_path_values,
)

# Examples per route: a form takes the most; a page with a filter form more than a plain page,
# whose only parameters are the few the code reads by hand (the same for every page).
EXAMPLES = {"POST": 8, "GET with a form": 4, "GET": 2}
SKIPPED_ENDPOINTS = {"static", "static_module"}  # Flask's own file serving
# Ending a login would leave the other routes with fewer users: tried last.
LAST = {"auth.logout"}
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_READS = re.compile(r"request\.(args|values|form)\.get(?:list)?\(\s*[\"'](\w+)[\"']")
NASTY_IDS = ["0", "-1", "2147483648", "9223372036854775808", "99999999999", "1e3", "²", "x"]


# --- What each route takes -----------------------------------------------------------------------


@dataclass
class Target:
    rule: Rule
    method: str
    form: dict[str, hostile.Field] = field(default_factory=dict)
    query: dict[str, hostile.Field] = field(default_factory=dict)
    json_schema: tuple[dict, dict] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule.endpoint, self.method)

    @property
    def kind(self) -> str:
        if self.method == "GET" and any(f.chance > 0.5 for f in self.query.values()):
            return "GET with a form"
        return self.method

    @property
    def is_api(self) -> bool:
        return self.rule.rule.startswith("/api/")


def names_in_code() -> dict[str, set[str]]:
    """Parameters the views read by hand: {"query": {...}, "form": {...}}."""
    found: dict[str, set[str]] = {"query": set(), "form": set()}
    for path in (ROOT / "checkin").rglob("*.py"):
        for source, name in _READS.findall(path.read_text(encoding="utf-8")):
            found["form" if source == "form" else "query"].add(name)
            if source == "values":
                found["form"].add(name)
    return found


def targets(app: Flask, world: World, admin: Visitor, anonymous: Visitor) -> list[Target]:
    """Every (route, method), with the fields its forms post and the parameters it reads."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED_ENDPOINTS]
    found = {
        (rule.endpoint, method): Target(rule, method)
        for rule in rules
        for method in sorted((rule.methods or set()) & {"GET", "POST"})
    }
    adapter = app.url_map.bind("localhost")
    for rule in rules:
        if "GET" not in (rule.methods or set()) or rule.endpoint in LAST:
            continue
        page = _path(rule, real_path_values(world, rule))
        response = admin.ready().get(page)
        if response.status_code == 302:  # a page for visitors only (the login)
            response = anonymous.ready().get(page)
        if response.mimetype != "text/html":
            continue
        for form in hostile.read_forms(page, response.get_data(as_text=True)):
            try:
                endpoint, _args = adapter.match(form.action, method=form.method)
            except HTTPException:  # a form posting where no route answers
                continue
            target = found[(endpoint, form.method)]
            fields = target.query if form.method == "GET" else target.form
            for name, fld in form.fields.items():
                known = fields.setdefault(name, hostile.Field(name, fld.kind))
                known.values |= fld.values
                if known.default is None:
                    known.default = fld.default
                known.chance = _chance(known)
    in_code = names_in_code()
    for target in found.values():
        for name in in_code["query"]:
            target.query.setdefault(name, hostile.Field(name, chance=0.2))
        if target.method == "POST":
            for name in in_code["form"]:
                target.form.setdefault(name, hostile.Field(name, chance=0.2))
        declared = OPERATIONS.get(target.rule.endpoint)
        if declared is not None and declared.body is not None:
            schema = declared.body.model_json_schema()
            target.json_schema = (schema, schema.get("$defs", {}))
        if declared is not None and declared.query is not None:
            for name in declared.query.model_fields:
                target.query.setdefault(name, hostile.Field(name))
    return sorted(found.values(), key=lambda t: (t.rule.endpoint in LAST, t.rule.rule, t.method))


def _chance(fld: hostile.Field) -> float:
    """A browser sends only the button clicked: mostly the form's "submit" or a button with
    several values (the desk's headcount groups), seldom the others ("add a person")."""
    if fld.kind in ("submit", "button") and fld.name != "submit" and len(fld.values) < 2:
        return 0.15
    return 0.85


def _path(rule: Rule, values: dict[str, str]) -> str:
    return _ARGUMENT.sub(lambda m: hostile.quote_path_part(values[m.group(2)]), rule.rule)


# --- The requests --------------------------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"
MAX_COMBINATIONS = 12


def extremes(target: Target, real: dict[str, str], role: str) -> list[dict[str, Any]]:
    """The requests tried before the random ones: all fields good; then, for each kind of
    field the route takes, every field of that kind set to each of its ``EXTREMES`` at once
    while the others stay good; for a JSON body, each body no schema describes."""
    base = {"role": role, "path": _path(target.rule, real)}
    if target.json_schema is not None:
        bodies = hostile.RAW_JSON_BODIES if target.method == "POST" else []
        return [
            {**base, "query": [], "data": b, "content_type": "application/json"} for b in bodies
        ]
    # A page's own fields; a plain page's only parameters are those the code reads by hand.
    query = {n: f for n, f in target.query.items() if f.chance > 0.5 or target.method == "GET"}
    form = {n: f for n, f in target.form.items() if f.chance > 0.5}

    def request(
        group: str | None,
        values: tuple[str, ...],
        choices: dict[str, str] | None = None,
        everywhere: bool = True,
    ) -> dict[str, Any]:
        turns: Counter[str] = Counter()

        def pairs(fields: dict[str, hostile.Field]) -> list[tuple[str, str]]:
            chosen = []
            for name, fld in fields.items():  # in page order
                turn = turns[fld.kind]
                turns[fld.kind] += 1
                if hostile.kind_group(fld) == group and (everywhere or fld.chance > 0.5):
                    chosen.append((name, values[turn % len(values)]))
                elif choices and name in choices:
                    chosen.append((name, choices[name]))
                elif fld.chance > 0.5:
                    chosen.append((name, hostile.good_value(fld, turn)))
            return chosen

        made = {**base, "query": pairs(query)}
        if target.method == "POST":
            made.update(data=hostile.urlencode(pairs(form)), content_type=FORM)
        return made

    fields = [*query.values(), *form.values()]
    groups = sorted({hostile.kind_group(f) for f in fields})
    # Every combination of the small choices (what to export, CSV or XLSX), the rest good; a
    # choice the page leaves blank (a filter's "all") stays so.
    small = {
        f.name: sorted(f.values - {""})
        for f in fields
        if hostile.kind_group(f) == "choice" and 2 <= len(f.values - {""}) <= 3 and f.default != ""
    }
    combinations = itertools.islice(itertools.product(*small.values()), MAX_COMBINATIONS)
    tried = [request(None, ())]
    tried += [request(None, (), dict(zip(small, chosen, strict=True))) for chosen in combinations]
    # A parameter only the code reads (the same on every page) gets the first extreme only.
    tried += [
        request(group, values, everywhere=index == 0)
        for group in groups
        for index, values in enumerate(hostile.EXTREMES[group])
    ]
    unique = {repr(request): request for request in tried}
    return list(unique.values())


@st.composite
def requests(draw, target: Target, real: dict[str, str], roles: list[str]) -> dict[str, Any]:
    """One request to ``target``: a role, path arguments (real or hostile), query parameters
    and a form or JSON body, a few values hostile, the others good."""
    role = draw(st.sampled_from(roles))
    args = {}
    for name, value in real.items():
        nasty = NASTY_IDS if name.endswith("_id") else hostile.NASTY_TEXT[:20]
        args[name] = draw(st.one_of(st.just(value), st.just(value), st.sampled_from(nasty)))
    query = _pairs(draw, target.query)
    request: dict[str, Any] = {"role": role, "path": _path(target.rule, args), "query": query}
    if target.method == "POST" and target.json_schema is not None:
        schema, defs = target.json_schema
        body = draw(
            st.one_of(
                hostile.json_for(schema, defs).map(lambda value: json.dumps(value).encode()),
                hostile.raw_json_bodies(),
            )
        )
        request.update(data=body, content_type="application/json")
    elif target.method == "POST":
        body = hostile.urlencode(_pairs(draw, target.form))
        request.update(data=body, content_type=FORM)
    return request


def _pairs(draw, fields: dict[str, hostile.Field]) -> list[tuple[str, str]]:
    """Values for some of ``fields``: a few of them hostile, the others good, so that the
    hostile ones get past the form's other checks."""
    names = sorted(fields)
    bad = draw(st.sets(st.sampled_from(names), min_size=1, max_size=3)) if names else set()
    pairs = []
    for name in names:
        fld = fields[name]
        if name not in bad and draw(st.floats(0, 1)) >= fld.chance:
            continue
        values = hostile.bad_values(fld) if name in bad else hostile.good_values(fld)
        count = draw(st.integers(1, 2)) if fld.kind == "checkbox" else 1
        pairs += [(name, draw(values)) for _ in range(count)]
    return pairs


def send(visitors: dict[str, Visitor], request: dict[str, Any]):
    visitor = visitors[request["role"]]
    return visitor.ready().open(
        request["path"],
        method="POST" if "data" in request else "GET",
        query_string=hostile.urlencode(request["query"]),
        data=request.get("data"),
        content_type=request.get("content_type"),
        headers=visitor.headers,
    )


def check(response, request: dict[str, Any]) -> None:
    body = response.get_data()  # also runs a streamed body to its end
    assert response.status_code < 500, f"{response.status_code} for {_short(request)}"
    assert b"Traceback (most recent call last)" not in body, _short(request)


def admitted(target: Target, real: dict[str, str], users: dict[str, Visitor]) -> list[str]:
    """The roles the route lets through to its view, found by a plain request as each. A
    role admitted in ``LOGINS`` admits the ones after it (an admin may do what staff may)."""

    def lets_in(role: str) -> bool:
        request = {"role": role, "path": _path(target.rule, real), "query": []}
        if target.method == "POST":
            request.update(data=b"{}" if target.json_schema else b"", content_type="")
        response = send(users, request)
        check(response, request)
        to_login = response.status_code == 302 and "/login" in response.location
        return not (to_login or response.status_code in (401, 403))

    everyone = list(API_ROLES if target.is_api else ROLES)
    if lets_in("anonymous"):
        return everyone
    roles = [role for role in everyone if role not in LOGINS and role != "anonymous"]
    roles = [role for role in roles if lets_in(role)]
    for index, role in enumerate(LOGINS):
        if lets_in(role):
            return roles + list(LOGINS[index:])
    return roles


def throw(target: Target, world: World, users: dict[str, Visitor]) -> None:
    """A bounded hypothesis run against one route as each role it admits: no answer may be a
    server error."""
    if target.method == "POST":
        world.fresh()
    real = real_path_values(world, target.rule)
    roles = admitted(target, real, users) or ["anonymous"]
    for request in extremes(target, real, roles[-1]):
        check(send(users, request), request)

    @settings(
        max_examples=EXAMPLES[target.kind],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(target, real, roles))
    def run(request: dict[str, Any]) -> None:
        check(send(users, request), request)

    run()


def _short(request: dict[str, Any]) -> str:
    return repr({k: (v[:300] if isinstance(v, str | bytes) else v) for k, v in request.items()})
