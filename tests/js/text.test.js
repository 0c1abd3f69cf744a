// The desk's text rules (static/js/desk/text.js) against the cases the Python tests use
// (tests/shared_cases, checked against the server's functions by tests/test_shared_rules.py).
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {describe, test} from "node:test";

import {canonicalCode, fold, normaliseCode} from "../../static/js/desk/text.js";

function cases(file) {
  return JSON.parse(readFileSync(new URL(`../shared_cases/${file}`, import.meta.url), "utf8"));
}

function check(name, fn, table) {
  describe(name, () => {
    for (const {input, expected, note} of table) {
      test(note || JSON.stringify(input), () => {
        assert.equal(fn(input), expected);
      });
    }
  });
}

check("fold, like participants.fold", fold, cases("fold.json").cases);
check("normaliseCode, like codes.normalise_code", normaliseCode, cases("codes.json").normalise_code);
check("canonicalCode, like tickets.parse_scanned", canonicalCode, cases("codes.json").parse_scanned);
