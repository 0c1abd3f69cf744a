/* Getting ready for no network: the service worker keeps the page and its assets, the ticket
   list is downloaded into IndexedDB, and the offline queue is sent whenever the network is
   back. <html data-offline-ready="true"> says that all of it worked. */

import {refreshCounters} from "./counters.js";
import {MODULES} from "./modules.js";
import {desk} from "./page.js";
import {store} from "./send.js";

/* Ask the service worker to keep the page and everything it loads: only the page knows the
   URLs of its stylesheet, its modules and jsQR. */
function keepForOffline(worker) {
  const urls = [
    location.pathname,
    ...Array.from(document.querySelectorAll("link[rel=stylesheet]"), (node) => node.href),
    ...MODULES.map((name) => new URL(`./${name}`, import.meta.url).href),
    desk.dataset.jsqrUrl,
  ];
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => (event.data && event.data.ok ? resolve() : reject(new Error("not kept")));
    worker.postMessage({type: "keep", urls}, [channel.port2]);
  });
}

export async function prepareOffline() {
  if (await store.load()) {
    desk.dataset.ticketList = "saved"; // scans can be answered offline from now on
  }
  if (!navigator.onLine) {
    return; // reopened from the service worker's copy: the saved list is all there is
  }
  const steps = [];
  if ("serviceWorker" in navigator && desk.dataset.swUrl) {
    // "none": the browser checks the worker's importScripts (sw-cache.js) for changes too.
    steps.push(navigator.serviceWorker.register(desk.dataset.swUrl, {updateViaCache: "none"})
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

/* Send the offline queue now (when there is one and a network), then refresh the list. */
export async function syncNow() {
  if (!navigator.onLine || !store.pending) {
    return;
  }
  const synced = await store.sync().catch(() => 0);
  if (synced) {
    await store.download().catch(() => false);
    refreshCounters();
  }
}
