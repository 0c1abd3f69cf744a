/* The network: JSON requests to the desk API with the page's CSRF token and a timeout. Every
   way of not reaching the server (offline, timeout, connection lost) throws Offline, so a
   caller chooses between the server's answer and the offline queue. A caller that must answer
   at once waits for a request only DECIDE_MS (within()); the network then counts as slow
   until the server answers anything again, and the desk works from its offline list. */

import {desk} from "./page.js";

const TIMEOUT_MS = 8000; // a request slower than this is given up
export const DECIDE_MS = 1000; // a volunteer waits no longer: the offline list answers instead

export class Offline extends Error {}

let slow = false; // the last request failed or took too long although the device is online
const watchers = [];

/* True while the server is too slow or unreachable on a network the device thinks is up. */
export function networkSlow() {
  return slow;
}

/* Call ``fn(slow)`` whenever that changes. */
export function onNetworkChange(fn) {
  watchers.push(fn);
}

export function setSlow(value) {
  if (slow !== value) {
    slow = value;
    watchers.forEach((fn) => fn(value));
  }
}

/* {value} or {error} of ``promise`` if it settles within ``ms``, else null (it goes on). */
export function within(promise, ms) {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), ms); });
  return Promise.race([promise.then((value) => ({value}), (error) => ({error})), late])
    .finally(() => clearTimeout(timer));
}

let csrfToken = desk.dataset.csrfToken;

/* {status, body} of one request; body is null when the answer is not JSON. */
export async function fetchJson(url, {method = "GET", body} = {}) {
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
    setSlow(false); // the server answered: the desk is online again
    return {status: response.status, body: data};
  } catch (error) {
    setSlow(navigator.onLine);
    throw new Offline(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/* A fresh token from the desk page itself (the token lives in the login session). */
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
