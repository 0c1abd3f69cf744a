/* The desk's check-in actions: a scanned code, one attendee (from a list, search or an
   override), a household's chosen members, a walk-in, a headcount, and the name search. Each
   sends through act() (send.js), says what happened (render.js), offers undo (undo.js) and
   keeps the counters right, online or not. */

import {fetchJson} from "./api.js";
import {countLocally, refreshCounters} from "./counters.js";
import {T, bump, desk, el, fill} from "./page.js";
import {showResult, showSearchResults} from "./render.js";
import {isRepeat} from "./scanner.js";
import {act, store} from "./send.js";
import {remember} from "./undo.js";

function afterOnline(answer) {
  const ids = answer.result === "ok" && answer.attendee ? [answer.attendee.id] : [];
  store.mark(ids, true);
  refreshCounters();
}

export async function scanCode(text) {
  if (isRepeat(text)) {
    bump("ignored"); // the same ticket still in front of the camera, or a double read
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
  if (answer.result === "ok") {
    const name = (answer.first_names || []).join(", ");
    remember({label: name, targetClientId: clientId, attendeeIds: answer.attendee ? [answer.attendee.id] : []});
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
    remember({label: (answer.first_names || []).join(", "), targetClientId: clientId, attendeeIds: [attendeeId]});
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
    // Each person's row carries "<client id>/<attendee id>": undo them one by one.
    const admitted = online ? ids : answer.marks;
    const names = answer.first_names || [];
    admitted.slice(0, names.length).forEach((id, index) => remember(
      {label: names[index], targetClientId: `${clientId}/${id}`, attendeeIds: [id]}));
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
    remember({label, targetClientId: clientId});
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
    remember({label, targetClientId: clientId, kind: "headcount"});
    if (online) {
      refreshCounters();
    } else {
      countLocally("headcount");
    }
  }
}

export async function search(query) {
  let results;
  try {
    const {status, body} = await fetchJson(`${desk.dataset.searchUrl}?q=${encodeURIComponent(query)}`);
    results = status === 200 ? body.results : [];
  } catch {
    results = store.search(query); // offline: first names in the saved list
  }
  showSearchResults(results);
}
