"""Rules the desk's JavaScript mirrors, checked against the same table of cases on both sides:
tests/shared_cases/*.json here against Python (the source of truth), and in tests/js/text.test.js
against static/js/desk/text.js. A case that changes changes for both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkin.services.codes import normalise_code
from checkin.services.people import fold
from checkin.services.tickets import parse_scanned

CASES = Path(__file__).resolve().parent / "shared_cases"


def _cases(file: str, key: str) -> list:
    cases = json.loads((CASES / file).read_text(encoding="utf-8"))[key]
    return [pytest.param(c["input"], c["expected"], id=c.get("note") or c["input"]) for c in cases]


@pytest.mark.parametrize(("text", "expected"), _cases("fold.json", "cases"))
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(("text", "expected"), _cases("codes.json", "normalise_code"))
def test_normalise_code(text: str, expected: str) -> None:
    assert normalise_code(text) == expected


@pytest.mark.parametrize(("text", "expected"), _cases("codes.json", "parse_scanned"))
def test_parse_scanned(text: str, expected: str | None) -> None:
    assert parse_scanned(text) == expected
