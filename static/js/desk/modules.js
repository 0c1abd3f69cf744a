/* Every module of the desk, for the service worker to keep for offline use (readiness.js).
   tests/js/modules.test.js checks that this names every module file in this folder. */
export const MODULES = [
  "actions.js",
  "api.js",
  "camera.js",
  "counters.js",
  "desk.js",
  "feedback.js",
  "kiosk.js",
  "modules.js",
  "offline.js",
  "page.js",
  "readiness.js",
  "render.js",
  "scanner.js",
  "send.js",
  "targets.js",
  "text.js",
  "undo.js",
  "wedge.js",
];
