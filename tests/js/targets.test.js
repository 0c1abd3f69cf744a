// What an undo names for each kind of check-in the desk makes, and which synced items the desk
// lists as refused (static/js/desk/targets.js, offline.js).
import assert from "node:assert/strict";
import {test} from "node:test";

import {refusalOf} from "../../static/js/desk/offline.js";
import {householdRows, undoTarget} from "../../static/js/desk/targets.js";

const ACTION = "0b9c6a52-4c1e-4d0a-9d53-8a8f6c1e2f10";

test("single, search, walk-in and headcount name the action; a person adds the attendee", () => {
  // A scanned ticket and a search hit admit one person; walk-ins and headcounts have none.
  assert.deepEqual(undoTarget({clientId: ACTION, attendeeId: 7}), {target_client_id: ACTION, target_attendee_id: 7});
  assert.deepEqual(undoTarget({clientId: ACTION, attendeeId: null}), {target_client_id: ACTION});
  assert.deepEqual(undoTarget({clientId: ACTION}), {target_client_id: ACTION});
  // A check-in the page listed from the server is named by its row.
  assert.deepEqual(undoTarget({checkInId: 42, label: "Omar"}), {check_in_id: 42});
});

test("a household check-in gives one row per admitted person, never '<uuid>/<id>'", () => {
  const online = householdRows({
    clientId: ACTION,
    chosen: [12, 11, 13],
    online: true,
    // 13 was already in: the server admitted 11 and 12, in id order.
    answer: {first_names: ["Amina", "Omar"], attendees: [
      {id: 11, first_name: "Amina"}, {id: 12, first_name: "Omar"}, {id: 13, first_name: "Leila"},
    ]},
  });
  assert.deepEqual(online, [
    {label: "Amina", clientId: ACTION, attendeeId: 11},
    {label: "Omar", clientId: ACTION, attendeeId: 12},
  ]);
  assert.deepEqual(online.map(undoTarget), [
    {target_client_id: ACTION, target_attendee_id: 11},
    {target_client_id: ACTION, target_attendee_id: 12},
  ]);
  const offline = householdRows({
    clientId: ACTION, chosen: [11, 12], online: false, answer: {first_names: ["Omar"], marks: [12]},
  });
  assert.deepEqual(offline, [{label: "Omar", clientId: ACTION, attendeeId: 12}]);
});

test("a synced item is refused when the server did not do what the desk said offline", () => {
  const undo = {type: "undo", payload: {target_client_id: ACTION}};
  assert.equal(refusalOf(undo, {result: "undone"}), null);
  assert.equal(refusalOf(undo, {result: "already_undone"}), null);
  assert.deepEqual(refusalOf(undo, {result: "not_found", note: null}), {code: "not_found", message: null});
  const walkIn = {type: "walk_in", payload: {age_band: "18-29"}};
  assert.equal(refusalOf(walkIn, {result: "ok"}), null);
  assert.deepEqual(refusalOf(walkIn, {result: "outside_desk_window", note: "Uden for tidsrummet."}),
    {code: "outside_desk_window", message: "Uden for tidsrummet."});
  assert.equal(refusalOf({type: "scan", payload: {code: "X"}}, {result: "already_checked_in"}), null);
  // A scan the desk refused offline is only logged: nothing new to tell.
  assert.equal(refusalOf({type: "scan", payload: {code: "X", offline_result: "invalid"}}, {result: "invalid"}), null);
});
