/* Service worker for ticket pages (scope /t/): an opened ticket opens again without a network.
   Ticket pages: network first, so a changed or cancelled ticket shows as soon as there is a
   connection, with the saved copy as fallback. QR images never change for a code: cache first.
   Stylesheet and script: the saved copy at once, refreshed in the background. */
"use strict";

const CACHE = "nordby-tickets-v1";
const TICKET_PAGE = /\/t\/[A-Za-z0-9]+$/;
const QR_IMAGE = /\/t\/[A-Za-z0-9]+\.(svg|png)$/;
const ASSET = /\/static\/(css|js)\/[^/]+$/;
const MATCH = {ignoreVary: true};

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("nordby-tickets-") && key !== CACHE)
          .map((key) => caches.delete(key))))
      .then(() => self.clients.claim()));
});

// The page asks to keep itself and its images, fetched before this worker controlled it.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  if (data.type !== "keep" || !Array.isArray(data.urls)) {
    return;
  }
  const urls = data.urls.filter((url) => new URL(url, self.location.href).origin === self.location.origin);
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
    const saved = await cache.match(request, MATCH)
      || await cache.match(request, {ignoreVary: true, ignoreSearch: true});
    if (saved) {
      return saved;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(request, MATCH);
  if (saved) {
    return saved;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

async function savedThenRefresh(event) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(event.request, MATCH);
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
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && TICKET_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (QR_IMAGE.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (ASSET.test(url.pathname)) {
    event.respondWith(savedThenRefresh(event));
  }
});
