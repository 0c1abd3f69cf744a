/* Every desk action goes through act(): online it is sent to the API; when the network is away
   (or fails, or has not answered within DECIDE_MS) it is answered from the saved ticket list
   and queued with the same client id, so a request that did reach the server, late or not, is
   not counted twice. A late answer is never shown: the volunteer already has one. The queue and
   the saved list are the session's OfflineDesk (offline.js), shared by every module as ``store``. */

import {DECIDE_MS, Offline, fetchJson, networkSlow, setSlow, within} from "./api.js";
import {OfflineDesk, newClientId} from "./offline.js";
import {T, desk} from "./page.js";
import {showBadge, showRefused} from "./render.js";

export const store = new OfflineDesk({
  sessionId: Number(desk.dataset.sessionId),
  apiBase: desk.dataset.apiBase,
  ticketsUrl: desk.dataset.ticketsUrl,
  fetchJson,
  onChange: (pending, refused) => {
    showBadge(pending);
    showRefused(refused, (clientId) => store.dismiss(clientId));
  },
});

/* Send one action: {answer, clientId, online, refused}. ``local`` answers it offline. */
export async function act({url, type, payload, local}) {
  const clientId = newClientId();
  const occurredAt = new Date().toISOString();
  // Sent even while the network is slow: its answer, when it comes, says the server is back.
  const request = fetchJson(url, {method: "POST", body: {client_id: clientId, occurred_at: occurredAt, ...payload}});
  const outcome = await within(request, networkSlow() ? 0 : DECIDE_MS);
  if (outcome && outcome.value) {
    const {status, body} = outcome.value;
    if (status === 200 || status === 201) {
      return {answer: body, clientId, online: true};
    }
    const error = (body && body.error) || {};
    return {answer: {result: error.code || "error", message: error.message || T.error}, clientId, online: true, refused: true};
  }
  if (outcome && !(outcome.error instanceof Offline)) {
    throw outcome.error;
  }
  if (!outcome) {
    setSlow(true);
    request.catch(() => undefined); // settles later: recorded once by its client id, or queued
  }
  const answer = await local();
  const offlinePayload = {...payload};
  if (type === "scan" && answer.result !== "ok" && !payload.override_reason) {
    offlinePayload.offline_result = answer.result === "household" ? "invalid" : answer.result;
  }
  if (!(type === "scan" && answer.result === "household")) {
    const label = (answer.first_names || []).join(", ");
    await store.enqueue({type, clientId, occurredAt, payload: offlinePayload, marks: answer.marks, label});
  }
  await store.mark(answer.marks || [], type !== "undo");
  return {answer, clientId, online: false};
}
