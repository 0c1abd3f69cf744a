/* The check-in desk in the browser. The page works as plain forms without this script; here we
   take over their submits and talk to the JSON API instead, so the desk answers at once, scans
   continuously with the camera, and keeps working offline (see offline.js). Every word shown
   comes from the page's #desk-texts, so the desk speaks the page's language. */

import {Camera, cameraProblem} from "./camera.js";
import {OfflineDesk, canonicalCode, newClientId} from "./offline.js";

const desk = document.getElementById("desk");
const T = JSON.parse(document.getElementById("desk-texts").textContent);
const $ = (id) => document.getElementById(id);

const SHOW_MS = 4000; // a result stays full size this long, so it can be read from a step away
const REPEAT_MS = 3000; // the same code again within this time is the same ticket held up
const REFRESH_MS = 15000; // counters and the not-arrived list
const SYNC_MS = 20000; // the queue retries by itself even if no "online" event comes
const UNDO_MS = 15 * 60 * 1000; // the server's undo window
const TIMEOUT_MS = 8000; // a request slower than this is treated as "offline"

const TONES = {
  ok: "ok", undone: "ok",
  already_checked_in: "warn", wrong_session: "warn", household: "warn", already_undone: "warn",
  cancelled: "bad", waitlisted: "bad", invalid: "bad", not_found: "bad",
  undo_expired: "bad", other_desk: "bad", error: "bad",
};
const ICONS = {ok: "✓", warn: "!", bad: "✕"};

const sessionId = Number(desk.dataset.sessionId);
let csrfToken = desk.dataset.csrfToken;
const seen = new Map(); // canonical code -> when it was last seen
const recent = []; // this desk's check-ins it may undo: {label, at, checkInId, targetClientId, attendeeIds}
let fadeTimer = null;

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : `{${key}}`));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (key === "text") {
      node.textContent = value;
    } else if (key.includes("-") || ["type", "name", "value", "for", "id", "role", "maxlength"].includes(key)) {
      node.setAttribute(key, value === true ? "" : value);
    } else {
      node[key] = value;
    }
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString(document.documentElement.lang || undefined,
    {hour: "2-digit", minute: "2-digit"}) : "–";
}

function bump(name) {
  desk.dataset[name] = String(Number(desk.dataset[name] || 0) + 1);
}

/* ---- network ---- */

class Offline extends Error {}

async function fetchJson(url, {method = "GET", body} = {}) {
  if (!navigator.onLine) {
    throw new Offline("offline");
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const send = () => fetch(url, {
    method,
    credentials: "same-origin",
    signal: controller.signal,
    headers: {"Accept": "application/json", ...(body ? {"Content-Type": "application/json", "X-CSRFToken": csrfToken} : {})},
    body: body ? JSON.stringify(body) : undefined,
  });
  try {
    let response = await send();
    let data = await response.json().catch(() => null);
    if (response.status === 400 && data && data.error && data.error.code === "csrf_failed" && await refreshToken()) {
      response = await send(); // a page reopened from the cache holds an old token
      data = await response.json().catch(() => null);
    }
    return {status: response.status, body: data};
  } catch (error) {
    throw new Offline(String(error));
  } finally {
    clearTimeout(timer);
  }
}

async function refreshToken() {
  try {
    const response = await fetch(location.pathname, {credentials: "same-origin", cache: "no-store"});
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("desk");
    if (fresh && fresh.dataset.csrfToken) {
      csrfToken = fresh.dataset.csrfToken;
      return true;
    }
  } catch {
    // still offline: the queue waits
  }
  return false;
}

const store = new OfflineDesk({
  sessionId,
  apiBase: desk.dataset.apiBase,
  ticketsUrl: desk.dataset.ticketsUrl,
  fetchJson,
  onChange: showBadge,
});

function showBadge(count) {
  const badge = $("sync-badge");
  badge.dataset.count = String(count);
  badge.textContent = fill(T.not_synced, {n: count});
  badge.hidden = count === 0;
}

function showNetwork() {
  $("net-status").hidden = navigator.onLine;
  desk.classList.toggle("is-offline", !navigator.onLine);
}

/* ---- feedback: sound and vibration ---- */

let audio = null;

/* Browsers (iOS above all) start sound only from a tap or a key: create the context then. */
function unlockAudio() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === "suspended") {
      audio.resume();
    }
  } catch {
    audio = null;
  }
}

function beep(tone) {
  try {
    if (!audio) {
      unlockAudio();
    }
    // ok: one short high beep; warn: two middle beeps; bad: one long low buzz.
    const pattern = {ok: [[880, 0, 0.12]], warn: [[520, 0, 0.1], [520, 0.18, 0.1]], bad: [[180, 0, 0.45]]}[tone];
    for (const [frequency, start, length] of pattern) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = tone === "bad" ? "square" : "sine";
      osc.frequency.value = frequency;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + start);
      osc.stop(audio.currentTime + start + length);
    }
  } catch {
    // no sound on this device: colour, icon and text still say it
  }
  if (navigator.vibrate) {
    navigator.vibrate({ok: 80, warn: [80, 60, 80], bad: [300]}[tone]);
  }
}

/* ---- results ---- */

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
      el("label", {for: inputId, text: (member.first_name || "") + note}));
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

/* Show one answer full width: colour, icon and words (never colour alone), sound, vibration. */
function showResult(answer, {code = null, heading = null, extra = null} = {}) {
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

function showError(message) {
  showResult({result: "error", message}, {heading: message || T.error});
}

/* ---- counters, lists, undo ---- */

function checkInForm(attendeeId) {
  const form = el("form", {className: "inline", "data-action": "scan"});
  form.append(hidden("attendee_id", attendeeId),
    el("button", {className: "button", type: "submit", text: T.check_in}));
  return form;
}

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

async function refreshCounters() {
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

/* Offline, the counters follow what this desk did. */
function countLocally(kind, attendeeIds = [], step = 1) {
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

function renderRecent() {
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

function remember(row) {
  recent.unshift({at: Date.now(), attendeeIds: [], ...row});
  recent.splice(10);
  renderRecent();
}

function readServerRecent() {
  for (const li of $("recent").querySelectorAll("li[data-check-in-id]")) {
    recent.push({
      label: li.querySelector(".person-name").textContent.trim(),
      at: Date.parse(li.dataset.at) || Date.now(),
      checkInId: Number(li.dataset.checkInId),
      attendeeIds: [],
    });
  }
  renderRecent();
}

/* ---- actions ---- */

/* Send one action online; when the network is away (or fails), answer locally and queue it
   with the same client id, so a request that did reach the server is not counted twice. */
async function act({url, type, payload, local}) {
  const clientId = newClientId();
  const occurredAt = new Date().toISOString();
  try {
    const {status, body} = await fetchJson(url, {method: "POST", body: {client_id: clientId, occurred_at: occurredAt, ...payload}});
    if (status === 200 || status === 201) {
      return {answer: body, clientId, online: true};
    }
    const error = (body && body.error) || {};
    return {answer: {result: error.code || "error", message: error.message || T.error}, clientId, online: true, refused: true};
  } catch (error) {
    if (!(error instanceof Offline)) {
      throw error;
    }
    const answer = await local();
    const offlinePayload = {...payload};
    if (type === "scan" && answer.result !== "ok" && !payload.override_reason) {
      offlinePayload.offline_result = answer.result === "household" ? "invalid" : answer.result;
    }
    if (!(type === "scan" && answer.result === "household")) {
      await store.enqueue({type, clientId, occurredAt, payload: offlinePayload, marks: answer.marks});
    }
    await store.mark(answer.marks || [], type !== "undo");
    return {answer, clientId, online: false};
  }
}

function afterOnline(answer) {
  const ids = answer.result === "ok" && answer.attendee ? [answer.attendee.id] : [];
  store.mark(ids, true);
  refreshCounters();
}

async function scanCode(text) {
  const code = canonicalCode(text);
  const key = code || text.trim();
  const now = Date.now();
  const last = seen.get(key);
  seen.set(key, now);
  if (last !== undefined && now - last < REPEAT_MS) {
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

async function scanAttendee(attendeeId, reason = null) {
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

async function checkInHousehold(form) {
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

async function walkIn(form) {
  const data = new FormData(form);
  const resident = {yes: true, no: false}[data.get("is_resident")];
  const area = data.get("area_id");
  const payload = {
    first_name: (data.get("first_name") || "").trim() || null,
    age_band: data.get("age_band"),
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
    form.reset();
    remember({label: payload.first_name || payload.age_band, targetClientId: clientId});
    online ? refreshCounters() : countLocally("walk_in");
  }
}

async function headcount(group, label) {
  const {answer, clientId, online} = await act({
    url: desk.dataset.headcountUrl,
    type: "headcount",
    payload: {age_band: group, count: 1},
    local: async () => ({result: "ok", offline: true, marks: []}),
  });
  showResult(answer, {heading: answer.result === "ok" ? `${T.counted}: ${label}` : null});
  if (answer.result === "ok") {
    remember({label, targetClientId: clientId, kind: "headcount"});
    online ? refreshCounters() : countLocally("headcount");
  }
}

async function undo(index) {
  const row = recent[index];
  if (!row) {
    return;
  }
  const payload = row.checkInId ? {check_in_id: row.checkInId} : {target_client_id: row.targetClientId};
  const {answer, online} = await act({
    url: desk.dataset.undoUrl,
    type: "undo",
    payload,
    local: async () => ({result: "undone", offline: true, first_names: [row.label], marks: row.attendeeIds}),
  });
  showResult(answer);
  if (["undone", "already_undone", "undo_expired", "other_desk"].includes(answer.result)) {
    recent.splice(recent.indexOf(row), 1);
    renderRecent();
  }
  if (answer.result === "undone") {
    if (online) {
      store.mark(answer.attendee ? [answer.attendee.id] : row.attendeeIds, false);
      refreshCounters();
    } else if (row.kind === "headcount") {
      countLocally("headcount", [], -1);
    } else {
      countLocally(row.attendeeIds.length ? "checked_in" : "walk_in", [], -1);
    }
  }
}

async function search(query) {
  let results;
  try {
    const {status, body} = await fetchJson(`${desk.dataset.searchUrl}?q=${encodeURIComponent(query)}`);
    results = status === 200 ? body.results : [];
  } catch {
    results = store.search(query); // offline: first names in the saved list
  }
  let list = $("search-results");
  if (!list) {
    list = el("ul", {className: "people search-results", id: "search-results"});
    $("search-form").after(list);
  }
  list.replaceChildren(...(results.length ? results.map((hit) => el("li",
    {className: `person status-${hit.status}${hit.checked_in ? " checked-in" : ""}`, "data-attendee-id": hit.id},
    el("span", {className: "person-name", text: hit.first_name}),
    hit.checked_in ? el("span", {className: "badge badge-ok", text: T.checked_in})
      : hit.status !== "confirmed" ? el("span", {className: "badge badge-wait", text: T.labels[hit.status] || hit.status}) : null,
    hit.checked_in ? null : checkInForm(hit.id))) : [el("li", {text: T.no_one})]));
}

/* One submit handler for every form on the desk: which action it is comes from the form. */
function actionOf(form) {
  if (form.dataset.action) {
    return form.dataset.action;
  }
  if (form.id === "search-form") {
    return "search";
  }
  const path = new URL(form.action, location.href).pathname;
  return path.slice(path.lastIndexOf("/") + 1);
}

let busy = Promise.resolve();

desk.addEventListener("submit", (event) => {
  const form = event.target;
  const action = actionOf(form);
  if (!["scan", "search", "household", "walk-in", "headcount", "undo"].includes(action)) {
    return; // leave unknown forms to the browser
  }
  event.preventDefault();
  const submitter = event.submitter;
  // One action at a time, in order: a scanner can type faster than the network answers.
  busy = busy.then(() => run(form, action, submitter)).catch(() => showError(T.error));
});

async function run(form, action, submitter) {
  const field = (name) => (form.elements[name] ? form.elements[name].value : "");
  if (action === "search") {
    const query = field("q").trim();
    if (query) {
      await search(query);
    }
  } else if (action === "scan" && form.id === "scan-form") {
    const text = field("code");
    form.elements.code.value = "";
    if (text.trim()) {
      await scanCode(text);
    }
  } else if (action === "scan") {
    const reason = field("override_reason").trim();
    await scanAttendee(Number(field("attendee_id")), reason || null);
  } else if (action === "household") {
    await checkInHousehold(form);
  } else if (action === "walk-in") {
    await walkIn(form);
  } else if (action === "headcount") {
    const group = submitter ? submitter.value : field("group");
    await headcount(group, submitter ? submitter.textContent.trim() : group);
  } else if (action === "undo") {
    if (form.dataset.index !== undefined) {
      await undo(Number(form.dataset.index));
    }
  }
  if (form.id === "scan-form" && document.activeElement !== $("code")) {
    $("code").focus();
  }
}

/* ---- camera ---- */

function setUpCamera() {
  const box = $("camera");
  const button = $("camera-toggle");
  const video = $("camera-video");
  const message = $("camera-message");
  const camera = new Camera({
    video,
    jsQRUrl: desk.dataset.jsqrUrl,
    onCode: (text) => { busy = busy.then(() => scanCode(text)).catch(() => showError(T.error)); },
  });
  const stop = () => {
    camera.stop();
    video.hidden = true;
    button.textContent = T.start_camera;
    button.setAttribute("aria-pressed", "false");
  };
  box.hidden = false;
  button.addEventListener("click", async () => {
    if (camera.running) {
      stop();
      return;
    }
    message.textContent = "";
    try {
      video.hidden = false;
      await camera.start();
      button.textContent = T.stop_camera;
      button.setAttribute("aria-pressed", "true");
      desk.dataset.camera = "on";
    } catch (error) {
      stop();
      message.textContent = T[cameraProblem(error)];
      desk.dataset.camera = "failed";
    }
  });
  // A hidden tab does not need the camera (and iOS stops it anyway).
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && camera.running) {
      stop();
    }
  });
}

/* ---- offline readiness ---- */

function keepForOffline(worker) {
  const urls = [
    location.pathname,
    ...Array.from(document.querySelectorAll("link[rel=stylesheet]"), (node) => node.href),
    new URL("./desk.js", import.meta.url).href,
    new URL("./camera.js", import.meta.url).href,
    new URL("./offline.js", import.meta.url).href,
    desk.dataset.jsqrUrl,
  ];
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => (event.data && event.data.ok ? resolve() : reject(new Error("not kept")));
    worker.postMessage({type: "keep", urls}, [channel.port2]);
  });
}

async function prepareOffline() {
  if (await store.load()) {
    desk.dataset.ticketList = "saved"; // scans can be answered offline from now on
  }
  if (!navigator.onLine) {
    return; // reopened from the service worker's copy: the saved list is all there is
  }
  const steps = [];
  if ("serviceWorker" in navigator && desk.dataset.swUrl) {
    steps.push(navigator.serviceWorker.register(desk.dataset.swUrl)
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => keepForOffline(registration.active)));
  }
  await store.sync().catch(() => 0);
  steps.push(store.download());
  const results = await Promise.allSettled(steps);
  if (results.every((r) => r.status === "fulfilled" && r.value !== false) && store.ready) {
    document.documentElement.dataset.offlineReady = "true";
    desk.dataset.ticketList = "fresh";
  }
}

async function syncNow() {
  if (!navigator.onLine || !store.pending) {
    return;
  }
  const synced = await store.sync().catch(() => 0);
  if (synced) {
    await store.download().catch(() => false);
    refreshCounters();
  }
}

/* ---- start ---- */

showNetwork();
readServerRecent();
setUpCamera();
desk.dataset.js = "ready";
window.addEventListener("online", () => { showNetwork(); syncNow(); });
window.addEventListener("offline", showNetwork);
document.addEventListener("pointerdown", unlockAudio, {once: true});
document.addEventListener("keydown", unlockAudio, {once: true});
setInterval(syncNow, SYNC_MS);
setInterval(() => {
  if (navigator.onLine && !document.hidden) {
    refreshCounters();
  }
}, REFRESH_MS);
setInterval(renderRecent, 60000);
prepareOffline().catch(() => undefined);
