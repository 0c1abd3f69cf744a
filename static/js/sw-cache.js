/* Caching helpers shared by the service workers (ticket-sw.js, scope /t/; desk/desk-sw.js,
   scope /desk/), loaded with importScripts. Each worker keeps its own cache and decides which
   strategy answers which URL; this file holds the strategies and the lifecycle they share:
     - install and activate: take over at once, delete this worker's older caches;
     - "keep" messages: the page lists the URLs it needs offline (it knows its assets' versioned
       URLs, see checkin/static_files.py); a kept version replaces the older versions of the
       same file in the cache;
     - networkFirst: the network, but after NETWORK_TIMEOUT_MS the saved copy (a hanging hall
       Wi-Fi must not stall the desk); cacheFirst; savedThenRefresh, which offline falls back
       to another version of the same file (a page saved before an update still gets its
       script and stylesheet). */
"use strict";

const NETWORK_TIMEOUT_MS = 4000;
const MATCH = {ignoreVary: true};

/* The same static file in any version: without the "v" query parameter and the version after
   "/modules/" in the path (checkin/static_files.py). */
function sameFile(url) {
  const parsed = new URL(url, self.location.href);
  parsed.searchParams.delete("v");
  parsed.pathname = parsed.pathname.replace(/\/modules\/[^/]+\//, "/modules/");
  return parsed.href;
}

/* Delete the cached versions of the kept files that the page no longer uses. */
async function dropOlderVersions(cache, kept) {
  const urls = new Set(kept.map((url) => new URL(url, self.location.href).href));
  const files = new Set([...urls].map(sameFile));
  const stale = (await cache.keys()).filter((request) => !urls.has(request.url) && files.has(sameFile(request.url)));
  await Promise.all(stale.map((request) => cache.delete(request)));
}

/* Offline, a page saved before an update asks for its old versions: the kept one will do. */
async function otherVersion(cache, url) {
  const file = sameFile(url);
  const request = (await cache.keys()).find((key) => sameFile(key.url) === file);
  return request ? cache.match(request, MATCH) : undefined;
}

/* Strategies and lifecycle for one cache. ``name`` is the cache in use, and every cache whose
   name starts with ``prefix`` belongs to this worker; ``keepable(url)`` says which URLs a page
   may ask to keep. Returns {networkFirst, cacheFirst, savedThenRefresh}, each (event) =>
   Promise<Response> for event.respondWith. */
self.nordbyCache = function nordbyCache({name, prefix, keepable = () => true}) {
  self.addEventListener("install", () => self.skipWaiting());

  self.addEventListener("activate", (event) => {
    event.waitUntil(
      caches.keys()
        .then((keys) => Promise.all(
          keys.filter((key) => key.startsWith(prefix) && key !== name).map((key) => caches.delete(key))))
        .then(() => self.clients.claim()));
  });

  // The page asks to keep itself and its assets, fetched before this worker controlled it.
  self.addEventListener("message", (event) => {
    const data = event.data || {};
    const port = event.ports && event.ports[0];
    if (data.type !== "keep" || !Array.isArray(data.urls)) {
      return;
    }
    const urls = data.urls.filter((url) => {
      const parsed = new URL(url, self.location.href);
      return parsed.origin === self.location.origin && keepable(parsed);
    });
    event.waitUntil(
      caches.open(name)
        .then((cache) => cache.addAll(urls).then(() => dropOlderVersions(cache, urls)))
        .then(() => port && port.postMessage({ok: true}),
              () => port && port.postMessage({ok: false})));
  });

  async function save(request, response) {
    if (response.ok) {
      const cache = await caches.open(name);
      await cache.put(request, response.clone());
    }
    return response;
  }

  /* The network's answer, or the saved copy when the network fails or is slower than
     NETWORK_TIMEOUT_MS (a late answer still refreshes the copy). A page opened with another
     query string falls back to the copy without it. Nothing saved: wait for the network. */
  async function networkFirst(event) {
    const request = event.request;
    const network = fetch(request).then((response) => save(request, response));
    event.waitUntil(network.catch(() => undefined));
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(resolve, NETWORK_TIMEOUT_MS, null); });
    try {
      const response = await Promise.race([network, late]);
      if (response) {
        return response;
      }
    } catch {
      // no network: the saved copy below
    } finally {
      clearTimeout(timer);
    }
    const cache = await caches.open(name);
    const saved = await cache.match(request, MATCH)
      || await cache.match(request, {...MATCH, ignoreSearch: true});
    return saved || network;
  }

  /* For what never changes at its URL (QR images of a code): the saved copy, else the network. */
  async function cacheFirst(event) {
    const cache = await caches.open(name);
    const saved = await cache.match(event.request, MATCH);
    return saved || fetch(event.request).then((response) => save(event.request, response));
  }

  /* The saved copy at once, refreshed in the background for next time; else the network;
     without a network, another saved version of the same file. */
  async function savedThenRefresh(event) {
    const cache = await caches.open(name);
    const saved = await cache.match(event.request, MATCH);
    const fresh = fetch(event.request).then((response) => save(event.request, response));
    if (saved) {
      event.waitUntil(fresh.catch(() => undefined));
      return saved;
    }
    return fresh.catch(async (error) => {
      const other = await otherVersion(cache, event.request.url);
      if (!other) {
        throw error;
      }
      return other;
    });
  }

  return {networkFirst, cacheFirst, savedThenRefresh};
};
