/* Service worker for the check-in desk (scope /desk/): an opened desk opens again without a
   network. Desk pages: network first, so counters and lists are fresh whenever there is a
   connection, with the saved copy as fallback (after a few seconds on a hanging network).
   Stylesheet, scripts and jsQR: the saved copy at once, refreshed in the background. The API
   is never cached: the page keeps the ticket list in IndexedDB itself, and writes must reach
   the server or the offline queue, never a cache. The strategies live in sw-cache.js, shared
   with the tickets' worker. */
"use strict";

importScripts("../static/js/sw-cache.js"); // this worker is served from /desk/sw.js

const DESK_PAGE = /\/desk\/sessions\/\d+$/;
const ASSET = /\/static\/(css|js|vendor|modules)\//; // modules: the desk's, versioned in the path
const API = /\/api\//;

const cache = self.nordbyCache({
  name: "nordby-desk-v1",
  prefix: "nordby-desk-",
  keepable: (url) => !API.test(url.pathname),
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || API.test(url.pathname)) {
    return; // POSTs and the API go straight to the network
  }
  if (request.mode === "navigate" && DESK_PAGE.test(url.pathname)) {
    event.respondWith(cache.networkFirst(event));
  } else if (ASSET.test(url.pathname)) {
    event.respondWith(cache.savedThenRefresh(event));
  }
});
