/* The desk without a network: the session's ticket list kept in IndexedDB (codes hashed, first
   names only), answers for scans from that list, and a queue of desk actions that syncs itself
   to POST /sync when the network returns. A queued item is deleted only after the server has
   answered it, so a failed sync never loses anything. An item the server refused (an undo it
   could not do, a walk-in outside the session's window, a malformed item) is not retried: it
   stays stored as "refused" with the server's reason until a volunteer has read and dismissed
   it, and it no longer counts as waiting. */

import {canonicalCode, fold} from "./text.js";

const DB_NAME = "nordby-desk";
const DB_VERSION = 1;
const BATCH = 100; // the server takes up to 500 items; smaller batches answer sooner

/* Hex SHA-256, as desk_roster.code_hash. crypto.subtle exists only in secure contexts
   (HTTPS, localhost, 127.0.0.1): elsewhere the desk still works online. */
export async function codeHash(code) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function newClientId() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  // Older Safari: a version 4 UUID from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// What the server may answer for an item the desk did offline without anything going wrong.
const DONE = {undo: ["undone", "already_undone"]};
const ADMITTED = ["ok", "already_checked_in"];

/* Why the server did not do what the desk said offline ({code, message}), or null. A scan the
   desk itself refused offline is only logged, so the server's answer adds nothing to show. */
export function refusalOf(item, answer) {
  if (item.payload && item.payload.offline_result) {
    return null;
  }
  if ((DONE[item.type] || ADMITTED).includes(answer.result)) {
    return null;
  }
  return {code: answer.result || "error", message: answer.note || null};
}

function isRefused(item) {
  return Boolean(item.refused || item.rejected); // "rejected": what older pages stored
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb() {
  const req = indexedDB.open(DB_NAME, DB_VERSION);
  req.onupgradeneeded = () => {
    const db = req.result;
    db.createObjectStore("queue", {keyPath: "client_id"});
    db.createObjectStore("lists", {keyPath: "session_id"});
  };
  return request(req);
}

async function withStore(name, mode, fn) {
  const db = await openDb();
  try {
    const tx = db.transaction(name, mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    const result = await fn(tx.objectStore(name));
    await done;
    return result;
  } finally {
    db.close();
  }
}

/* One session's offline state: its ticket list, local "checked in" marks and the queue. */
export class OfflineDesk {
  constructor({sessionId, apiBase, ticketsUrl, fetchJson, onChange}) {
    this.sessionId = sessionId;
    this.apiBase = apiBase;
    this.ticketsUrl = ticketsUrl;
    this.fetchJson = fetchJson; // (url, options) => {status, body}; throws when offline
    this.onChange = onChange || (() => {});
    this.list = null;
    this.byHash = new Map();
    this.byId = new Map();
    this.households = new Map();
    this.pending = 0;
    this.refused = []; // items the server refused, oldest first, until dismissed
    this.syncing = null;
  }

  async load() {
    const saved = await withStore("lists", "readonly", (s) => request(s.get(this.sessionId)));
    if (saved) {
      this.index(saved);
    }
    await this.count();
    return Boolean(saved);
  }

  index(list) {
    this.list = list;
    this.byHash = new Map(list.tickets.map((t) => [t.code_hash, t]));
    this.byId = new Map(list.tickets.map((t) => [t.attendee_id, t]));
    this.households = new Map(list.households.map((h) => [h.code_hash, h]));
  }

  get ready() {
    return this.list !== null;
  }

  /* Download the ticket list; queued admissions not yet synced stay marked. */
  async download() {
    const {status, body} = await this.fetchJson(this.ticketsUrl);
    if (status !== 200) {
      return false;
    }
    const queued = (await this.items()).filter((item) => !isRefused(item));
    for (const item of queued) {
      for (const id of item.marks || []) {
        const ticket = body.tickets.find((t) => t.attendee_id === id);
        if (ticket) {
          ticket.checked_in = item.type !== "undo";
        }
      }
    }
    this.index(body);
    await this.save();
    return true;
  }

  save() {
    return withStore("lists", "readwrite", (s) => request(s.put(this.list)));
  }

  /* Mark people in or out locally, so a second offline scan answers "already checked in". */
  async mark(attendeeIds, checkedIn) {
    let changed = false;
    for (const id of attendeeIds) {
      const ticket = this.byId.get(id);
      if (ticket && ticket.checked_in !== checkedIn) {
        ticket.checked_in = checkedIn;
        changed = true;
      }
    }
    if (changed && this.list) {
      await this.save();
    }
  }

  /* What the desk answers offline for a scanned text: a ScanResult-like object. */
  async answer(text) {
    const code = canonicalCode(text);
    const found = code && this.ready ? await codeHash(code) : null;
    const ticket = found && this.byHash.get(found);
    if (ticket) {
      const status = ticket.status === "confirmed" ? null : ticket.status;
      const result = status || (ticket.checked_in ? "already_checked_in" : "ok");
      return {
        result,
        offline: true,
        attendee: {id: ticket.attendee_id, first_name: ticket.first_name},
        first_names: [ticket.first_name || ""],
        marks: result === "ok" ? [ticket.attendee_id] : [],
      };
    }
    const household = found && this.households.get(found);
    if (household) {
      const attendees = household.attendee_ids.map((id) => this.byId.get(id)).filter(Boolean)
        .map((t) => ({
          id: t.attendee_id,
          first_name: t.first_name,
          birth_year: t.birth_year,
          status: t.status,
          checked_in: t.checked_in,
          selected: t.status === "confirmed" && !t.checked_in,
        }));
      return {result: "household", offline: true, attendees, first_names: attendees.map((a) => a.first_name), marks: []};
    }
    return {result: "invalid", offline: true, first_names: [], marks: []};
  }

  /* First names in the saved list matching every word of ``query``. */
  search(query) {
    const words = fold(query).split(/\s+/).filter(Boolean);
    if (!this.ready || !words.length) {
      return [];
    }
    return this.list.tickets
      .filter((t) => words.every((w) => fold(t.first_name).includes(w)))
      .map((t) => ({id: t.attendee_id, first_name: t.first_name, birth_year: t.birth_year, status: t.status, checked_in: t.checked_in}))
      .sort((a, b) => (a.first_name || "").localeCompare(b.first_name || ""));
  }

  /* Queue one action: ``payload`` holds exactly the sync item's fields besides these. */
  async enqueue({type, clientId, occurredAt, payload, marks, label}) {
    const item = {
      client_id: clientId,
      session_id: this.sessionId,
      type,
      occurred_at: occurredAt,
      payload,
      marks: marks || [],
      label: label || "", // who it was about, to name a refused item
      queued_at: Date.now(),
    };
    await withStore("queue", "readwrite", (s) => request(s.put(item)));
    await this.count();
    return item;
  }

  items() {
    return withStore("queue", "readonly", (s) => request(s.getAll()));
  }

  /* Waiting items are counted; refused ones are listed instead (onChange(pending, refused)). */
  async count() {
    const items = await this.items();
    this.refused = items.filter(isRefused).sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
    this.pending = items.length - this.refused.length;
    this.onChange(this.pending, this.refused);
    return this.pending;
  }

  /* Whether the action ``clientId`` still waits in the queue. */
  async isQueued(clientId) {
    const item = await withStore("queue", "readonly", (s) => request(s.get(clientId)));
    return Boolean(item && !isRefused(item));
  }

  /* A volunteer has read why the server refused this item: forget it. */
  async dismiss(clientId) {
    await withStore("queue", "readwrite", (s) => request(s.delete(clientId)));
    await this.count();
  }

  /* Keep these items only as refused, each with its reason. */
  refuse(pairs) {
    return withStore("queue", "readwrite", (s) => Promise.all(pairs.map(([item, refused]) => request(s.put({...item, refused})))));
  }

  /* Send the queue in batches, oldest first. One sync at a time; items stay queued until the
     server answered them (a refused item is answered too: it is in the history then, and
     listed as refused here). */
  sync() {
    if (!this.syncing) {
      this.syncing = this.syncOnce().finally(() => { this.syncing = null; });
    }
    return this.syncing;
  }

  async syncOnce() {
    const items = (await this.items()).filter((item) => !isRefused(item))
      .sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.queued_at - b.queued_at);
    const bySession = new Map();
    for (const item of items) {
      if (!bySession.has(item.session_id)) {
        bySession.set(item.session_id, []);
      }
      bySession.get(item.session_id).push(item);
    }
    let synced = 0;
    for (const [sessionId, queued] of bySession) {
      for (let start = 0; start < queued.length; start += BATCH) {
        const batch = queued.slice(start, start + BATCH);
        const body = {
          items: batch.map((item) => ({
            type: item.type, client_id: item.client_id, occurred_at: item.occurred_at, ...item.payload,
          })),
        };
        const answer = await this.fetchJson(`${this.apiBase}/${sessionId}/sync`, {method: "POST", body});
        if (answer.status === 200) {
          const judged = batch.map((item, i) => [item, refusalOf(item, answer.body.results[i] || {})]);
          await withStore("queue", "readwrite", (s) => Promise.all(judged.filter(([, why]) => !why)
            .map(([item]) => request(s.delete(item.client_id)))));
          await this.refuse(judged.filter(([, why]) => why));
          synced += batch.length;
        } else if (answer.status === 400 && answer.body && answer.body.error && answer.body.error.fields) {
          // A malformed item would block the queue for ever: set it aside as refused, with the
          // server's words, and send the others again.
          const bad = new Set(Object.keys(answer.body.error.fields)
            .map((name) => /^items\[(\d+)\]/.exec(name)).filter(Boolean).map((m) => Number(m[1])));
          const malformed = batch.filter((_, i) => bad.has(i));
          if (!malformed.length) {
            break;
          }
          const {code, message} = answer.body.error;
          await this.refuse(malformed.map((item) => [item, {code, message}]));
          queued.splice(start, batch.length, ...batch.filter((_, i) => !bad.has(i)));
          start -= BATCH; // send the rest of this batch again
        } else {
          break; // not logged in, server trouble: try again later
        }
      }
    }
    await this.count();
    return synced;
  }
}
