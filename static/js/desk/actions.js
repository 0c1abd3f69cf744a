/* The desk's check-in actions: a scanned code, one attendee (from a list, search or an
   override), a household's chosen members, a walk-in, a headcount, and the name search. Each
   sends through act() (send.js), says what happened (render.js), offers undo (undo.js) and
   keeps the counters right, online or not. */

import {DECIDE_MS, fetchJson, networkSlow, setSlow, within} from "./api.js";
import {countLocally, refreshCounters} from "./counters.js";
import {T, bump, desk, el, fill} from "./page.js";
import {showResult, showSearchResults} from "./render.js";
import {isRepeat, scanKey} from "./scanner.js";
import {act, store} from "./send.js";
import {householdRows} from "./targets.js";
import {remember} from "./undo.js";

function afterOnline(answer) {
  const ids = answer.result === "ok" && answer.attendee ? [answer.attendee.id] : [];
  store.mark(ids, true);
  refreshCounters();
}

let lastScan = null; // {key, answer}: what the last scanned code was answered

/* A scanned or typed code. ``byKeyboard``: from the USB scanner or the code field, where a
   repeat within the repeat window is deliberate (the volunteer scans again to see the answer):
   it is shown again, without recording anything twice. From the camera it is ignored. */
export async function scanCode(text, {byKeyboard = false} = {}) {
  if (isRepeat(text)) {
    if (byKeyboard && lastScan && lastScan.key === scanKey(text)) {
      bump("repeated");
      showResult(lastScan.answer, {code: text.trim()});
    } else {
      bump("ignored"); // the same ticket still in front of the camera, or a double read
    }
    return;
  }
  const {answer, clientId, online} = await act({
    url: desk.dataset.scanUrl,
    type: "scan",
    payload: {code: text.trim().slice(0, 500)},
    local: () => store.answer(text),
  });
  if (answer.result === "household" && answer.attendees) {
    answer.first_names = [];
  }
  showResult(answer, {code: text.trim()});
  lastScan = {key: scanKey(text), answer};
  if (answer.result === "ok") {
    const name = (answer.first_names || []).join(", ");
    remember({label: name, clientId, attendeeId: answer.attendee ? answer.attendee.id : null});
    if (!online) {
      countLocally("checked_in", answer.marks);
    }
  }
  if (online) {
    afterOnline(answer);
  }
}

export async function scanAttendee(attendeeId, reason = null) {
  const ticket = store.byId.get(attendeeId);
  const {answer, clientId, online} = await act({
    url: desk.dataset.scanUrl,
    type: "scan",
    payload: {attendee_id: attendeeId, ...(reason ? {override_reason: reason} : {})},
    local: async () => {
      if (!ticket) {
        return {result: "invalid", offline: true, marks: []};
      }
      const ok = reason || (ticket.status === "confirmed" && !ticket.checked_in);
      const result = ok ? "ok" : ticket.checked_in ? "already_checked_in" : ticket.status;
      return {result, offline: true, attendee: {id: attendeeId, first_name: ticket.first_name},
        first_names: [ticket.first_name || ""], marks: result === "ok" ? [attendeeId] : []};
    },
  });
  showResult(answer);
  if (answer.result === "ok") {
    remember({label: (answer.first_names || []).join(", "), clientId, attendeeId});
    if (!online) {
      countLocally("checked_in", [attendeeId]);
    }
  }
  if (online) {
    afterOnline(answer);
  }
}

export async function checkInHousehold(form) {
  const code = form.elements.code.value;
  const ids = Array.from(form.querySelectorAll("input[name=attendee_ids]:checked"), (box) => Number(box.value));
  const reason = form.elements.override_reason ? form.elements.override_reason.value.trim() : "";
  const total = Number(form.dataset.total) || form.querySelectorAll("input[name=attendee_ids]").length;
  if (!ids.length) {
    return;
  }
  const {answer, clientId, online} = await act({
    url: desk.dataset.householdUrl,
    type: "household",
    payload: {code, attendee_ids: ids, ...(reason ? {override_reason: reason} : {})},
    local: async () => {
      const fresh = ids.filter((id) => store.byId.get(id) && !store.byId.get(id).checked_in);
      return {
        result: fresh.length ? "ok" : "already_checked_in",
        offline: true,
        first_names: fresh.map((id) => store.byId.get(id).first_name || ""),
        marks: fresh,
      };
    },
  });
  const came = (answer.first_names || []).length;
  const extra = answer.result === "ok"
    ? el("p", {className: "came", "data-came": came, "data-total": total, text: fill(T.came, {came, total})}) : null;
  showResult(answer, {extra});
  if (answer.result === "ok") {
    // One undo button per person admitted, named by this action and the person.
    householdRows({clientId, chosen: ids, answer, online}).forEach((row) => remember(row));
    if (!online) {
      countLocally("checked_in", answer.marks);
    } else {
      store.mark(ids, true);
      refreshCounters();
    }
  }
}

export async function walkIn(form) {
  const data = new FormData(form);
  const resident = {yes: true, no: false}[data.get("is_resident")];
  const area = data.get("area_id");
  const payload = {
    first_name: (data.get("first_name") || "").trim() || null,
    age_band: data.get("age_band") || null, // none chosen: the server refuses it, translated
    area_id: area ? Number(area) : null,
    is_resident: resident === undefined ? null : resident,
  };
  const {answer, clientId, online} = await act({
    url: desk.dataset.walkInUrl,
    type: "walk_in",
    payload,
    local: async () => ({result: "ok", offline: true, first_names: payload.first_name ? [payload.first_name] : [], marks: []}),
  });
  showResult(answer);
  if (answer.result === "ok") {
    // The chosen option's words ("Ved ikke", not "unknown") name a nameless walk-in.
    const age = form.elements.age_band.selectedOptions[0];
    const label = payload.first_name || (age ? age.textContent.trim() : payload.age_band);
    form.reset();
    remember({label, clientId});
    if (online) {
      refreshCounters();
    } else {
      countLocally("walk_in");
    }
  }
}

export async function headcount(group, label) {
  const {answer, clientId, online} = await act({
    url: desk.dataset.headcountUrl,
    type: "headcount",
    payload: {age_band: group, count: 1},
    local: async () => ({result: "ok", offline: true, marks: []}),
  });
  showResult(answer, {heading: answer.result === "ok" ? `${T.counted}: ${label}` : null});
  if (answer.result === "ok") {
    remember({label, clientId, kind: "headcount"});
    if (online) {
      refreshCounters();
    } else {
      countLocally("headcount");
    }
  }
}

export async function search(query) {
  const request = fetchJson(`${desk.dataset.searchUrl}?q=${encodeURIComponent(query)}`);
  const outcome = await within(request, networkSlow() ? 0 : DECIDE_MS);
  if (!outcome) {
    setSlow(true);
    request.catch(() => undefined);
  }
  const online = outcome && outcome.value;
  // Offline, slow or failed: first names in the saved list.
  showSearchResults(online ? (online.status === 200 ? online.body.results : []) : store.search(query));
}
