/* What the desk shows: one result at a time, full width, in colour with an icon and words
   (never colour alone), with sound; the forms a result may need (household, override); search
   hits; the network and "not synced" badges, and the actions the server refused on sync. */

import {networkSlow} from "./api.js";
import {beep} from "./feedback.js";
import {$, T, bump, clock, desk, el, fill, personName} from "./page.js";

const SHOW_MS = 4000; // a result stays full size this long, so it can be read from a step away

const TONES = {
  ok: "ok", undone: "ok",
  already_checked_in: "warn", wrong_session: "warn", household: "warn", already_undone: "warn",
  cancelled: "bad", waitlisted: "bad", invalid: "bad", not_found: "bad",
  undo_expired: "bad", other_desk: "bad", error: "bad",
};
const ICONS = {ok: "✓", warn: "!", bad: "✕"};

let fadeTimer = null;

function hidden(name, value) {
  return el("input", {type: "hidden", name, value: String(value)});
}

function reasonField(id) {
  return [
    el("label", {for: id, text: T.reason}),
    el("input", {id, name: "override_reason", maxlength: "200", required: true}),
  ];
}

function householdForm(answer, code) {
  const form = el("form", {className: "household-form", id: "household-form", "data-action": "household"});
  form.append(hidden("code", code));
  const rows = answer.attendees.map((member) => {
    const inputId = `m-${member.id}`;
    const note = member.checked_in ? ` (${T.checked_in})`
      : member.status !== "confirmed" ? ` (${T.labels[member.status] || member.status})` : "";
    return el("div", {className: "check-row"},
      el("input", {type: "checkbox", id: inputId, name: "attendee_ids", value: member.id,
        checked: Boolean(member.selected), disabled: Boolean(member.checked_in || member.status === "cancelled")}),
      el("label", {for: inputId}, personName(member, "member-name"), note));
  });
  form.append(el("fieldset", {}, el("legend", {text: T.who_came}), ...rows));
  if (answer.result !== "household") {
    form.append(...reasonField("household_reason"));
  }
  form.append(el("button", {className: "button primary big", type: "submit", text: T.check_in_chosen}));
  form.dataset.total = String(answer.attendees.length);
  return form;
}

function overrideForm(answer) {
  const form = el("form", {className: "override-form", id: "override-form", "data-action": "scan"});
  form.append(hidden("attendee_id", answer.attendee.id));
  form.append(...reasonField("override_reason"),
    el("button", {className: "button", type: "submit", text: T.check_in_anyway}));
  return form;
}

/* A one-button form that checks this attendee in (not-arrived list, search hits). */
export function checkInForm(attendeeId) {
  const form = el("form", {className: "inline", "data-action": "scan"});
  form.append(hidden("attendee_id", attendeeId),
    el("button", {className: "button", type: "submit", text: T.check_in}));
  return form;
}

/* Show one answer full width: colour, icon and words (never colour alone), sound, vibration. */
export function showResult(answer, {code = null, heading = null, extra = null} = {}) {
  const tone = TONES[answer.result] || "bad";
  const section = el("section", {
    className: `scan-result result-${answer.result} tone-${tone}`,
    id: "scan-result",
    "data-result": answer.result,
    "data-tone": tone,
    "data-offline": answer.offline ? "true" : null,
    role: tone === "bad" ? "alert" : "status",
  });
  section.append(el("h2", {},
    el("span", {className: "result-icon", "aria-hidden": "true", text: ICONS[tone]}),
    " ", heading || T.labels[answer.result] || answer.message || answer.result));
  if (answer.offline) {
    section.append(el("p", {className: "badge badge-offline", text: T.saved_offline}));
  }
  if (answer.first_names && answer.first_names.length && answer.result !== "household") {
    section.append(el("p", {className: "names", text: answer.first_names.join(", ")}));
  }
  if (extra) {
    section.append(extra);
  }
  if (answer.result === "already_checked_in" && answer.checked_in_at) {
    section.append(el("p", {text: fill(T.at_by, {time: clock(answer.checked_in_at), desk: answer.checked_in_by || "–"})}));
  }
  if (answer.result === "wrong_session" && answer.sessions && answer.sessions.length) {
    section.append(el("p", {text: T.ticket_for}),
      el("ul", {}, ...answer.sessions.map((s) => el("li", {text: `${s.name}, ${new Date(s.starts_at).toLocaleString(document.documentElement.lang || undefined, {dateStyle: "medium", timeStyle: "short"})}`}))));
  }
  if (answer.message && T.labels[answer.result]) {
    section.append(el("p", {text: answer.message}));
  }
  const needsAction = answer.attendees && answer.attendees.length
    && ["household", "wrong_session", "waitlisted", "cancelled"].includes(answer.result) && !answer.attendee;
  if (answer.overridable && answer.attendee) {
    section.append(overrideForm(answer));
  } else if (needsAction) {
    section.append(householdForm(answer, code));
  }
  const region = $("result-region");
  region.setAttribute("aria-live", tone === "bad" ? "assertive" : "polite");
  region.replaceChildren(section);
  beep(tone);
  // Full size for a few seconds, then smaller; a result waiting for a choice stays as it is.
  clearTimeout(fadeTimer);
  if (!section.querySelector("form")) {
    fadeTimer = setTimeout(() => section.classList.add("is-old"), SHOW_MS);
  }
  bump("answered");
}

export function showError(message) {
  showResult({result: "error", message}, {heading: message || T.error});
}

/* Search hits under the search form: a check-in button for everyone not yet in. */
export function showSearchResults(results) {
  let list = $("search-results");
  if (!list) {
    list = el("ul", {className: "people search-results", id: "search-results"});
    $("search-form").after(list);
  }
  list.replaceChildren(...(results.length ? results.map((hit) => el("li",
    {className: `person status-${hit.status}${hit.checked_in ? " checked-in" : ""}`, "data-attendee-id": hit.id},
    personName(hit),
    hit.checked_in ? el("span", {className: "badge badge-ok", text: T.checked_in})
      : hit.status !== "confirmed" ? el("span", {className: "badge badge-wait", text: T.labels[hit.status] || hit.status}) : null,
    hit.checked_in ? null : checkInForm(hit.id))) : [el("li", {text: T.no_one})]));
}

/* "3 not synced": how many actions wait in the offline queue. */
export function showBadge(count) {
  const badge = $("sync-badge");
  badge.dataset.count = String(count);
  badge.textContent = fill(T.not_synced, {n: count});
  badge.hidden = count === 0;
}

/* The queued actions the server refused, each with what it was, why (the server's words, or
   the desk's label for a result code) and a button to dismiss it once read. */
export function showRefused(items, dismiss) {
  $("refused").replaceChildren(...items.map((item) => {
    const {code, message} = item.refused || {code: "invalid_request", message: null};
    // A result code has the page's word; a rule's refusal comes with the server's message.
    const reason = T.labels[code] || message || T.error;
    return el("li", {className: "person refused-item", "data-client-id": item.client_id, "data-code": code},
      el("span", {className: "person-name", text: [T.kinds[item.type] || item.type, item.label].filter(Boolean).join(": ")}),
      el("span", {className: "time", text: clock(item.occurred_at)}),
      el("p", {className: "refused-reason", text: reason}),
      el("button", {className: "button", type: "button", text: T.dismiss, onclick: () => dismiss(item.client_id)}));
  }));
  $("refused-box").hidden = items.length === 0;
}

/* "Offline" while the device has no network or the server does not answer in time (api.js):
   either way the desk works from its offline list. data-network says which, for tests. */
export function showNetwork() {
  const state = !navigator.onLine ? "offline" : networkSlow() ? "slow" : "online";
  $("net-status").hidden = state === "online";
  desk.classList.toggle("is-offline", state !== "online");
  desk.dataset.network = state;
}
