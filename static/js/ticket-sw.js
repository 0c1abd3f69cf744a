/* Service worker for ticket pages (scope /t/): an opened ticket opens again without a network.
   Ticket pages: network first, so a changed or cancelled ticket shows as soon as there is a
   connection, with the saved copy as fallback. QR images never change for a code: cache first.
   Stylesheet and script: the saved copy at once, refreshed in the background. The strategies
   live in sw-cache.js, shared with the desk's worker. */
"use strict";

importScripts("../static/js/sw-cache.js"); // this worker is served from /t/sw.js

const TICKET_PAGE = /\/t\/[A-Za-z0-9]+$/;
const QR_IMAGE = /\/t\/[A-Za-z0-9]+\.(svg|png)$/;
const ASSET = /\/static\/(css|js)\/[^/]+$/;

const cache = self.nordbyCache({name: "nordby-tickets-v1", prefix: "nordby-tickets-"});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && TICKET_PAGE.test(url.pathname)) {
    event.respondWith(cache.networkFirst(event));
  } else if (QR_IMAGE.test(url.pathname)) {
    event.respondWith(cache.cacheFirst(event));
  } else if (ASSET.test(url.pathname)) {
    event.respondWith(cache.savedThenRefresh(event));
  }
});
