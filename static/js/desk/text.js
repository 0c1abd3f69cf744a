/* Text rules the desk shares with the server, as pure functions (no DOM, so node's test runner
   imports them too). The server is the source of truth: the cases in tests/shared_cases/*.json
   are checked against these functions (tests/js/text.test.js) and the Python ones
   (tests/test_shared_rules.py) alike. */

const CODE = /^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{27}$/; // checkin/services/codes.py
const TICKET_PATH = "/t/"; // checkin/services/tickets.py

/* Python's str.strip() without arguments strips what str.isspace() calls space; JavaScript's
   trim() differs (it strips U+FEFF, but not U+001C-U+001F or U+0085). */
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

function pyStrip(text) {
  return String(text ?? "").replace(PY_STRIP, "");
}

/* A typed or scanned code in canonical form, like codes.normalise_code: upper case, letters and
   digits only (Python's str.isalnum is exactly the letters and numbers, \p{L} and \p{N}). */
export function normaliseCode(text) {
  return Array.from(pyStrip(text).toUpperCase()).filter((ch) => /[\p{L}\p{N}]/u.test(ch)).join("");
}

/* urllib.parse.urlsplit(text).path, for the texts it does not refuse: leading control
   characters and space go, tabs and newlines go everywhere, then a valid scheme ("https:"),
   an authority after "//", the fragment and the query. */
function urlPath(text) {
  // eslint-disable-next-line no-control-regex -- Python strips exactly these: U+0000 to U+0020
  let url = text.replace(/^[\x00-\x20]+/, "").replace(/[\t\r\n]/g, "");
  const colon = url.indexOf(":");
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(url.slice(0, colon))) {
    url = url.slice(colon + 1);
  }
  if (url.startsWith("//")) {
    const end = url.slice(2).search(/[/?#]/);
    url = end < 0 ? "" : url.slice(2 + end);
  }
  return url.split("#")[0].split("?")[0];
}

/* The ticket code in a scanned or typed text, like tickets.parse_scanned: the part after the
   last "/t/" of a URL or path, or the whole text, normalised; null when it cannot be one of
   our codes. */
export function canonicalCode(text) {
  let value = pyStrip(text);
  if (value.includes("/")) {
    const path = value.includes("://") ? urlPath(value) : value;
    if (!path.includes(TICKET_PATH)) {
      return null;
    }
    value = path.slice(path.lastIndexOf(TICKET_PATH) + TICKET_PATH.length).replace(/^\/+|\/+$/g, "");
  }
  const code = normaliseCode(value);
  return CODE.test(code) ? code : null;
}

// Letters that lose more than an accent, as in participants.fold ("å" is "aa" in Danish).
const SPECIAL = {"ø": "o", "æ": "ae", "å": "aa", "ß": "ss", "ł": "l", "đ": "d"};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join("")}]`, "g");

/* Python's unicodedata.combining(ch) != 0, which JavaScript cannot ask directly. Canonical
   ordering puts a mark with a lower (non-zero) combining class before one with a higher class;
   U+0345 has the highest class there is (240), so a mark moves in front of it exactly when its
   class is between 1 and 239. Only marks (\p{M}) have a non-zero class. */
function isCombining(ch) {
  return /\p{M}/u.test(ch) && (ch === "\u0345" || `\u0345${ch}`.normalize("NFD") !== `\u0345${ch}`);
}

/* Lower case without accents, for matching and search, like participants.fold:
   strip, lower case, NFC, the special letters, NFKD, then drop the combining marks. */
export function fold(text) {
  const lowered = pyStrip(text).toLowerCase().normalize("NFC").replace(SPECIAL_RE, (ch) => SPECIAL[ch]);
  return Array.from(lowered.normalize("NFKD")).filter((ch) => !isCombining(ch)).join("");
}
