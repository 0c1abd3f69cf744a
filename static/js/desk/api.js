/* The network: JSON requests to the desk API with the page's CSRF token and a timeout. Every
   way of not reaching the server (offline, timeout, connection lost) throws Offline, so a
   caller chooses between the server's answer and the offline queue. */

import {desk} from "./page.js";

const TIMEOUT_MS = 8000; // a request slower than this is treated as "offline"

export class Offline extends Error {}

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
    return {status: response.status, body: data};
  } catch (error) {
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
