/* The check-in desk in the browser: this module wires the others together. The page works as
   plain forms without any script; here we take over their submits and talk to the JSON API
   instead, so the desk answers at once, scans continuously with the camera, and keeps working
   offline. The modules, each one concern:
     page.js      the #desk element, the page's texts, DOM helpers
     text.js      code and name rules shared with the server (pure)
     api.js       JSON requests, CSRF token, timeout, "offline"
     offline.js   the saved ticket list and the queue of actions (IndexedDB)
     send.js      one action: online, or answered locally and queued
     actions.js   scan, household, walk-in, headcount, search
     undo.js      recent check-ins and undo
     render.js    results, search hits, badges
     feedback.js  sound and vibration
     counters.js  counters and the not-arrived list
     scanner.js   camera button and the repeat filter
     wedge.js     USB scanner bursts, wherever the focus is
     camera.js    camera frames to QR codes
     readiness.js service worker, ticket list download, sync */

import * as actions from "./actions.js";
import {onNetworkChange} from "./api.js";
import {refreshCounters} from "./counters.js";
import {unlockAudio} from "./feedback.js";
import {$, T, desk} from "./page.js";
import {prepareOffline, syncNow} from "./readiness.js";
import {showError, showNetwork} from "./render.js";
import {setUpCamera} from "./scanner.js";
import {readServerRecent, renderRecent, undo} from "./undo.js";
import {listenForScanner} from "./wedge.js";

const REFRESH_MS = 15000; // counters and the not-arrived list
const SYNC_MS = 20000; // the queue retries by itself even if no "online" event comes
const RECENT_MS = 60000; // undo buttons disappear when the undo window has passed

/* Which action a submitted form is: from data-action, else the last part of its URL. */
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

// One action at a time, in order: a scanner can type faster than the network answers.
let busy = Promise.resolve();

function queue(task) {
  busy = busy.then(task).catch(() => showError(T.error));
}

async function run(form, action, submitter) {
  const field = (name) => (form.elements[name] ? form.elements[name].value : "");
  if (action === "search") {
    const query = field("q").trim();
    if (query) {
      await actions.search(query);
    }
  } else if (action === "scan" && form.id === "scan-form") {
    const text = field("code");
    form.elements.code.value = "";
    if (text.trim()) {
      await actions.scanCode(text, {byKeyboard: true});
    }
  } else if (action === "scan") {
    const reason = field("override_reason").trim();
    await actions.scanAttendee(Number(field("attendee_id")), reason || null);
  } else if (action === "household") {
    await actions.checkInHousehold(form);
  } else if (action === "walk-in") {
    await actions.walkIn(form);
  } else if (action === "headcount") {
    const group = submitter ? submitter.value : field("group");
    await actions.headcount(group, submitter ? submitter.textContent.trim() : group);
  } else if (action === "undo") {
    if (form.dataset.index !== undefined) {
      await undo(Number(form.dataset.index));
    }
  }
  focusCode();
}

/* Back to the code field after every action, so the next scan or typed code lands there and a
   scanner's Enter never meets the button just pressed. */
function focusCode() {
  const code = $("code");
  if (code && document.activeElement !== code) {
    code.focus({preventScroll: true});
  }
}

/* One submit handler for every form on the desk: which action it is comes from the form. */
desk.addEventListener("submit", (event) => {
  const form = event.target;
  const action = actionOf(form);
  if (!["scan", "search", "household", "walk-in", "headcount", "undo"].includes(action)) {
    return; // leave unknown forms to the browser
  }
  event.preventDefault();
  const submitter = event.submitter;
  queue(() => run(form, action, submitter));
});

showNetwork();
readServerRecent();
setUpCamera((text) => queue(() => actions.scanCode(text)));
listenForScanner((text) => queue(async () => {
  await actions.scanCode(text, {byKeyboard: true});
  focusCode();
}));
desk.dataset.js = "ready";
window.addEventListener("online", () => { showNetwork(); syncNow(); });
window.addEventListener("offline", showNetwork);
// The server too slow, or answering again: say so, and send what was queued meanwhile.
onNetworkChange((slow) => {
  showNetwork();
  if (!slow) {
    syncNow();
  }
});
document.addEventListener("pointerdown", unlockAudio, {once: true});
document.addEventListener("keydown", unlockAudio, {once: true});
setInterval(syncNow, SYNC_MS);
setInterval(() => {
  if (navigator.onLine && !document.hidden) {
    refreshCounters();
  }
}, REFRESH_MS);
setInterval(renderRecent, RECENT_MS);
prepareOffline().catch(() => undefined);
