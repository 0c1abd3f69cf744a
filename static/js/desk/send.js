/* Every desk action goes through act(): online it is sent to the API; when the network is away
   (or fails) it is answered from the saved ticket list and queued with the same client id, so
   a request that did reach the server is not counted twice. The queue and the saved list are
   the session's OfflineDesk (offline.js), shared by every module as ``store``. */

import {Offline, fetchJson} from "./api.js";
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
      const label = (answer.first_names || []).join(", ");
      await store.enqueue({type, clientId, occurredAt, payload: offlinePayload, marks: answer.marks, label});
    }
    await store.mark(answer.marks || [], type !== "undo");
    return {answer, clientId, online: false};
  }
}
