// The USB scanner's burst detector (static/js/desk/wedge.js): a fast burst of keys ending in
// Enter is a scan; typing by hand is not.
import assert from "node:assert/strict";
import {test} from "node:test";

import {BurstDetector} from "../../static/js/desk/wedge.js";

/* Feed ``text`` one key every ``gap`` ms from ``start``, then Enter ``enterGap`` ms later. */
function feed(detector, text, {gap, enterGap = gap, start = 1000}) {
  let at = start;
  const starts = [];
  for (const char of text) {
    starts.push(detector.key(char, at));
    at += gap;
  }
  return {code: detector.enter(at - gap + enterGap), starts};
}

test("a scanner's burst ending in Enter is a scan", () => {
  const {code, starts} = feed(new BurstDetector(), "AB12CD34", {gap: 8});
  assert.equal(code, "AB12CD34");
  assert.deepEqual(starts, [true, false, false, false, false, false, false, false]);
});

test("typing by hand is not a scan", () => {
  assert.equal(feed(new BurstDetector(), "AB12CD34", {gap: 140}).code, null);
});

test("a short burst is not a scan", () => {
  assert.equal(feed(new BurstDetector(), "ab", {gap: 5}).code, null);
});

test("an Enter pressed by hand after a burst is not the scanner's", () => {
  assert.equal(feed(new BurstDetector(), "AB12CD34", {gap: 8, enterGap: 400}).code, null);
});

test("slow typing before a burst is left out of the code, and the burst starts afresh", () => {
  const detector = new BurstDetector();
  detector.key("A", 0);
  detector.key("h", 300);
  const {code, starts} = feed(detector, "XY98ZW76", {gap: 10, start: 900});
  assert.equal(code, "XY98ZW76");
  assert.equal(starts[0], true);
});

test("each Enter ends a burst: two scans in a row are two codes", () => {
  const detector = new BurstDetector();
  assert.equal(feed(detector, "CODE0001", {gap: 5, start: 0}).code, "CODE0001");
  assert.equal(feed(detector, "CODE0002", {gap: 5, start: 60}).code, "CODE0002");
  assert.equal(detector.enter(200), null);
});
