/* Undo: the desk's last check-ins (up to ten, within the server's undo window) with an Undo
   button each, and the undo action itself. Offline, an undo is queued like any action; it
   names the check-in by the action's client id and the person (targets.js). */

import {countLocally, refreshCounters} from "./counters.js";
import {$, T, clock, desk, el} from "./page.js";
import {showResult} from "./render.js";
import {act, store} from "./send.js";
import {undoTarget} from "./targets.js";

const UNDO_MS = 15 * 60 * 1000; // the server's undo window
const KEEP = 10;

const recent = []; // newest first: {label, at, checkInId | clientId, attendeeId, kind}

export function renderRecent() {
  const now = Date.now();
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    if (now - recent[i].at > UNDO_MS) {
      recent.splice(i, 1);
    }
  }
  $("recent").replaceChildren(...recent.map((row, index) => {
    const form = el("form", {className: "inline", "data-action": "undo", "data-index": index});
    form.append(el("button", {className: "button danger", type: "submit", text: T.undo}));
    return el("li", {className: "person"},
      el("span", {className: "person-name", text: row.label}),
      el("span", {className: "time", text: clock(new Date(row.at).toISOString())}),
      form);
  }));
  $("recent-box").hidden = recent.length === 0;
}

/* Keep one check-in this desk just made, so it can be undone. */
export function remember(row) {
  recent.unshift({at: Date.now(), ...row});
  recent.splice(KEEP);
  renderRecent();
}

/* The page lists the check-ins the server knows this desk made: they can be undone too. */
export function readServerRecent() {
  for (const li of $("recent").querySelectorAll("li[data-check-in-id]")) {
    recent.push({
      label: li.querySelector(".person-name").textContent.trim(),
      at: Date.parse(li.dataset.at) || Date.now(),
      checkInId: Number(li.dataset.checkInId),
    });
  }
  renderRecent();
}

export async function undo(index) {
  const row = recent[index];
  if (!row) {
    return;
  }
  if (row.clientId && await store.isQueued(row.clientId)) {
    // Made offline and not synced yet: the check-in must reach the server before its undo.
    await store.sync().catch(() => 0);
  }
  const marks = row.attendeeId ? [row.attendeeId] : [];
  const {answer, online} = await act({
    url: desk.dataset.undoUrl,
    type: "undo",
    payload: undoTarget(row),
    local: async () => ({result: "undone", offline: true, first_names: [row.label], marks}),
  });
  showResult(answer);
  if (["undone", "already_undone", "undo_expired", "other_desk"].includes(answer.result)) {
    recent.splice(recent.indexOf(row), 1);
    renderRecent();
  }
  if (answer.result === "undone") {
    if (online) {
      store.mark(answer.attendee ? [answer.attendee.id] : marks, false);
      refreshCounters();
    } else if (row.kind === "headcount") {
      countLocally("headcount", [], -1);
    } else {
      countLocally(row.attendeeId ? "checked_in" : "walk_in", [], -1);
    }
  }
}
