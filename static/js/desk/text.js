/* Text rules the desk shares with the server, as pure functions (no DOM, so node's test runner
   can import them too). */

const CODE = /^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{27}$/; // checkin/services/codes.py
const TICKET_PATH = "/t/"; // checkin/services/tickets.py

/* The ticket code in a scanned or typed text, exactly like the server's parse_scanned and
   normalise_code: the part after "/t/" of a URL, upper case, letters and digits only. */
export function canonicalCode(text) {
  let value = String(text || "").trim();
  if (value.includes("/")) {
    // urlsplit(text).path: drop "scheme://authority", then the query and fragment.
    let path = value.includes("://") ? value.replace(/^[^:/?#]*:\/\/[^/?#]*/, "") : value;
    if (value.includes("://")) {
      path = path.split(/[?#]/)[0];
    }
    if (!path.includes(TICKET_PATH)) {
      return null;
    }
    value = path.slice(path.lastIndexOf(TICKET_PATH) + TICKET_PATH.length).replace(/^\/+|\/+$/g, "");
  }
  const code = Array.from(value.trim().toUpperCase()).filter((ch) => /[\p{L}\p{N}]/u.test(ch)).join("");
  return CODE.test(code) ? code : null;
}

/* Folding for the offline name search, like participants.fold: no case, no accents. */
export function fold(text) {
  return String(text || "").toLowerCase()
    .replace(/ø/g, "o").replace(/æ/g, "ae").replace(/ß/g, "ss")
    .normalize("NFD").replace(/\p{M}/gu, "");
}
