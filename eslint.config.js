// ESLint flat config for the browser JavaScript in static/js (static/vendor is third-party code,
// linted by nobody here) and the node tests in tests/js. Three kinds of file, three settings:
// the desk's ES modules, classic page scripts, and service workers (classic, importScripts).
import js from "@eslint/js";
import globals from "globals";

const correctness = {
  "eqeqeq": ["error", "always"],
  "no-implicit-coercion": ["error", {boolean: false}],
  "no-shadow": "error",
  "no-throw-literal": "error",
  "prefer-const": "error",
};

export default [
  {
    ignores: ["static/vendor/**", "node_modules/**", "tests/browser/vendor/**", ".venv/**"],
  },
  js.configs.recommended,
  {
    linterOptions: {reportUnusedDisableDirectives: "error"},
    rules: correctness,
  },
  {
    // The desk: ES modules loaded by <script type="module">.
    files: ["static/js/desk/**/*.js"],
    ignores: ["static/js/desk/desk-sw.js"],
    languageOptions: {sourceType: "module", globals: globals.browser},
    rules: {
      "no-var": "error",
      // Every module of the desk shares its folder's version in the URL (checkin/static_files.py):
      // an import from outside the folder would load a file that version does not cover.
      "no-restricted-imports": ["error", {patterns: [{group: ["../*"], message: "Desk modules import only from static/js/desk."}]}],
    },
  },
  {
    // Classic scripts: ticket page, "my bookings".
    files: ["static/js/ticket.js", "static/js/my-bookings.js"],
    languageOptions: {sourceType: "script", globals: globals.browser},
    rules: {"no-implicit-globals": "error"},
  },
  {
    // Service workers are classic scripts: they share helpers through importScripts.
    files: ["static/js/**/*-sw.js", "static/js/sw-cache.js"],
    languageOptions: {sourceType: "script", globals: globals.serviceworker},
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: {sourceType: "module", globals: globals.node},
  },
];
