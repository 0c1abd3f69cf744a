// The service workers' shared strategies (static/js/sw-cache.js), run in a sandbox with a fake
// network, cache and clock: above all, a hanging network falls back to the saved copy.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {test} from "node:test";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("../../static/js/sw-cache.js", import.meta.url), "utf8");

function response(body, ok = true) {
  return {body, ok, clone: () => response(body, ok)};
}

/* A worker global scope with one cache, a network answered by ``network(url)`` and timers
   that fire only when the test says so. */
function worker(network) {
  const saved = new Map();
  const timers = [];
  const listeners = {};
  const urlOf = (request) => (typeof request === "string" ? request : request.url);
  const cache = {
    match: async (request, options = {}) => {
      const url = urlOf(request);
      return saved.get(options.ignoreSearch ? url.split("?")[0] : url);
    },
    put: async (request, value) => { saved.set(urlOf(request), value); },
    addAll: async (urls) => {
      for (const url of urls) {
        saved.set(url, await network(url));
      }
    },
    keys: async () => [...saved.keys()].map((url) => ({url})),
    delete: async (request) => saved.delete(urlOf(request)),
  };
  const scope = {
    location: {href: "https://checkin.test/desk/sw.js", origin: "https://checkin.test"},
    addEventListener: (type, listener) => { listeners[type] = listener; },
    caches: {open: async () => cache, keys: async () => []},
    fetch: async (request) => network(urlOf(request)),
    setTimeout: (fn, ms, value) => timers.push({ms, fire: () => fn(value)}),
    clearTimeout: () => undefined,
    URL,
  };
  scope.self = scope;
  vm.runInNewContext(SOURCE, scope);
  const strategies = scope.nordbyCache({name: "test-v1", prefix: "test-"});
  const event = (url) => ({request: {url}, waitUntil: () => undefined});
  const fireTimers = () => timers.splice(0).map(({ms, fire}) => {
    fire();
    return ms;
  });
  /* The page's "keep" message; resolves with what the worker answered. */
  const keep = (urls) => new Promise((resolve) => {
    listeners.message({data: {type: "keep", urls}, ports: [{postMessage: resolve}], waitUntil: () => undefined});
  });
  return {strategies, saved, event, fireTimers, keep};
}

const PAGE = "https://checkin.test/desk/sessions/1";
const tick = () => new Promise((resolve) => setImmediate(resolve));

test("networkFirst answers from the network and saves the answer", async () => {
  const {strategies, saved, event} = worker(() => response("fresh"));
  assert.equal((await strategies.networkFirst(event(PAGE))).body, "fresh");
  assert.equal(saved.get(PAGE).body, "fresh");
});

test("networkFirst falls back to the saved copy when the network fails", async () => {
  const {strategies, saved, event} = worker(() => { throw new TypeError("offline"); });
  saved.set(PAGE, response("saved"));
  assert.equal((await strategies.networkFirst(event(PAGE))).body, "saved");
});

test("networkFirst gives the saved copy when the network hangs past the timeout", {timeout: 2000}, async () => {
  const {strategies, saved, event, fireTimers} = worker(() => new Promise(() => undefined));
  saved.set(PAGE, response("saved"));
  const answer = strategies.networkFirst(event(PAGE));
  await tick();
  assert.deepEqual(fireTimers(), [4000]);
  assert.equal((await answer).body, "saved");
});

test("networkFirst waits for a slow network when nothing is saved", {timeout: 2000}, async () => {
  let answerNow;
  const {strategies, event, fireTimers} = worker(() => new Promise((resolve) => { answerNow = resolve; }));
  const answer = strategies.networkFirst(event(PAGE));
  await tick();
  fireTimers();
  answerNow(response("late"));
  assert.equal((await answer).body, "late");
});

test("networkFirst falls back to the page without its query string", async () => {
  const {strategies, saved, event} = worker(() => { throw new TypeError("offline"); });
  saved.set(PAGE, response("saved"));
  assert.equal((await strategies.networkFirst(event(`${PAGE}?lang=en`))).body, "saved");
});

test("savedThenRefresh answers from the cache and refreshes it", async () => {
  const asset = "https://checkin.test/static/css/app.css";
  const {strategies, saved, event} = worker(() => response("new"));
  saved.set(asset, response("old"));
  assert.equal((await strategies.savedThenRefresh(event(asset))).body, "old");
  await tick();
  assert.equal(saved.get(asset).body, "new");
});

const CSS = "https://checkin.test/static/css/app.css";
const MODULE = (version) => `https://checkin.test/static/modules/${version}/js/desk/desk.js`;

test("a kept version replaces the older versions of the same file, nothing else", async () => {
  const {saved, keep} = worker((url) => response(url));
  for (const url of [`${CSS}?v=old`, MODULE("old"), PAGE, "https://checkin.test/static/js/other.js?v=1"]) {
    saved.set(url, response(url));
  }
  assert.equal((await keep([PAGE, `${CSS}?v=new`, MODULE("new")])).ok, true);
  assert.deepEqual([...saved.keys()].sort(), [
    `${CSS}?v=new`, PAGE, MODULE("new"), "https://checkin.test/static/js/other.js?v=1",
  ].sort());
});

test("offline, an old version of an asset is answered with the kept version", async () => {
  const {strategies, saved, event} = worker(() => { throw new TypeError("offline"); });
  saved.set(MODULE("new"), response("new module"));
  assert.equal((await strategies.savedThenRefresh(event(MODULE("old")))).body, "new module");
  await assert.rejects(strategies.savedThenRefresh(event(`${CSS}?v=old`)), TypeError);
});
