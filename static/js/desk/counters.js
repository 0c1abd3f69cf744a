/* The session's counters and its not-arrived list: from the server when online, and offline
   following what this desk did. */

import {fetchJson} from "./api.js";
import {$, desk, el} from "./page.js";
import {checkInForm} from "./render.js";

function renderNotArrived(people) {
  $("not-arrived").replaceChildren(...people.map((person) => el("li",
    {className: "person", "data-attendee-id": person.id},
    el("span", {className: "person-name", text: person.first_name}), checkInForm(person.id))));
  $("not-arrived-count").textContent = String(people.length);
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
      row.remove();
      $("not-arrived-count").textContent = String($("not-arrived").children.length);
    }
  }
}
