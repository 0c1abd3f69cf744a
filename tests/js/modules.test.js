// The desk's module list (what the service worker keeps for offline use) names every module.
import assert from "node:assert/strict";
import {readdirSync} from "node:fs";
import {test} from "node:test";

import {MODULES} from "../../static/js/desk/modules.js";

const DESK = new URL("../../static/js/desk/", import.meta.url);

test("MODULES lists every desk module, and nothing else", () => {
  // desk-sw.js is the service worker (a classic script served from /desk/sw.js), not a module.
  const files = readdirSync(DESK).filter((name) => name.endsWith(".js") && name !== "desk-sw.js");
  assert.deepEqual([...MODULES].sort(), files.sort());
});
