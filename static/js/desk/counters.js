/* The session's counters and its not-arrived list: from the server when online, and offline
   following what this desk did. */

import {fetchJson} from "./api.js";
import {$, T, desk, el, households, personName} from "./page.js";
import {checkInForm} from "./render.js";

function waitingRow(person) {
  return el("li", {className: "person", "data-attendee-id": person.id}, personName(person), checkInForm(person.id));
}

/* Who has not come yet; a household of several under one line that names them all. */
function renderNotArrived(people) {
  $("not-arrived").replaceChildren(...households(people).map((members) => (members.length === 1
    ? waitingRow(members[0])
    : el("li", {className: "household-group"},
      el("span", {className: "household-line", text: `${T.kinds.household}: ${members.map((p) => p.first_name).join(", ")}`}),
      el("ul", {className: "people"}, ...members.map(waitingRow))))));
  updateWaitingCount();
}

function updateWaitingCount() {
  $("not-arrived-count").textContent = String($("not-arrived").querySelectorAll("li.person").length);
}

function setCounter(id, value) {
  if (value !== undefined && value !== null) {
    $(id).textContent = String(value);
  }
}

export async function refreshCounters() {
  try {
    const {status, body} = await fetchJson(desk.dataset.countersUrl);
    if (status !== 200) {
      return;
    }
    setCounter("count-checked-in", body.checked_in);
    setCounter("count-booked", body.booked);
    setCounter("count-capacity", body.capacity === null ? "–" : body.capacity);
    setCounter("count-walk-ins", body.walk_ins);
    setCounter("count-headcount", body.headcount);
    renderNotArrived(body.not_arrived);
  } catch {
    // offline: local counts stand
  }
}

/* Offline, the counters follow what this desk did: ``step`` people (or one per attendee)
   of ``kind`` ("checked_in", "walk_in", "headcount"); the attendees leave the not-arrived list. */
export function countLocally(kind, attendeeIds = [], step = 1) {
  const id = {checked_in: "count-checked-in", walk_in: "count-walk-ins", headcount: "count-headcount"}[kind];
  const node = $(id);
  node.textContent = String(Math.max(0, (Number(node.textContent) || 0) + step * Math.max(1, attendeeIds.length)));
  for (const attendeeId of attendeeIds) {
    const row = $("not-arrived").querySelector(`[data-attendee-id="${attendeeId}"]`);
    if (row) {
      const group = row.closest(".household-group");
      row.remove();
      if (group && !group.querySelector("li.person")) {
        group.remove();
      }
      updateWaitingCount();
    }
  }
}
