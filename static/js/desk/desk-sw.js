/* Service worker for the check-in desk (scope /desk/): an opened desk opens again without a
   network. Desk pages: network first, so counters and lists are fresh whenever there is a
   connection, with the saved copy as fallback. Stylesheet, scripts and jsQR: the saved copy at
   once, refreshed in the background. The API is never cached: the page keeps the ticket list
   in IndexedDB itself, and writes must reach the server or the offline queue, never a cache. */
"use strict";

const CACHE = "nordby-desk-v1";
const DESK_PAGE = /\/desk\/sessions\/\d+$/;
const ASSET = /\/static\/(css|js|vendor)\//;
const API = /\/api\//;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("nordby-desk-") && key !== CACHE)
          .map((key) => caches.delete(key))))
      .then(() => self.clients.claim()));
});

// The page asks to keep itself and its assets: it knows their URLs (module imports, jsQR).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  if (data.type !== "keep" || !Array.isArray(data.urls)) {
    return;
  }
  const urls = data.urls.filter((url) => {
    const parsed = new URL(url, self.location.href);
    return parsed.origin === self.location.origin && !API.test(parsed.pathname);
  });
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(urls))
      .then(() => port && port.postMessage({ok: true}),
            () => port && port.postMessage({ok: false})));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const saved = await cache.match(request, {ignoreVary: true, ignoreSearch: true});
    if (saved) {
      return saved;
    }
    throw error;
  }
}

async function savedThenRefresh(event) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(event.request, {ignoreVary: true});
  const fresh = fetch(event.request).then(async (response) => {
    if (response.ok) {
      await cache.put(event.request, response.clone());
    }
    return response;
  });
  if (saved) {
    event.waitUntil(fresh.catch(() => undefined));
    return saved;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || API.test(url.pathname)) {
    return; // POSTs and the API go straight to the network
  }
  if (request.mode === "navigate" && DESK_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (ASSET.test(url.pathname)) {
    event.respondWith(savedThenRefresh(event));
  }
});
