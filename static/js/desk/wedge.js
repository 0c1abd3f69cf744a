/* A USB scanner ("keyboard wedge") types a code as a fast burst of keys ending in Enter,
   wherever the focus is. The desk takes such a burst as a scan from anywhere on the page (as
   pretixSCAN does), takes its characters back out of the field it landed in, and swallows its
   Enter so it never presses a focused button ("+ barn", "Tilføj person") a second time. A person
   typing into the search or a name field is far slower and keeps typing as usual.

   BurstDetector is pure (tests/js/wedge.test.js); listenForScanner() wires it to the page. */

export const MIN_LENGTH = 6; // shorter bursts are not codes (and a fast typist's rollover is short)
export const MAX_GAP_MS = 50; // a scanner sends a key every few ms; people need 100 ms or more

export class BurstDetector {
  constructor({minLength = MIN_LENGTH, maxGap = MAX_GAP_MS} = {}) {
    this.minLength = minLength;
    this.maxGap = maxGap;
    this.reset();
  }

  reset() {
    this.chars = [];
    this.last = null;
  }

  /* One printable character at time ``at`` (ms). True when it starts a new burst: the caller
     remembers the focused field's value then, to take the burst out of it again. */
  key(char, at) {
    const fresh = this.last === null || at - this.last > this.maxGap;
    if (fresh) {
      this.chars = [];
    }
    this.chars.push(char);
    this.last = at;
    return fresh;
  }

  /* Enter at time ``at``: the scanned code when the keys before it were a burst, else null.
     Either way the next key starts afresh. */
  enter(at) {
    const burst = this.last !== null && at - this.last <= this.maxGap && this.chars.length >= this.minLength;
    const code = burst ? this.chars.join("") : null;
    this.reset();
    return code;
  }
}

/* Fields whose value a burst may have changed (typing into a select picks an option). */
function editable(node) {
  return Boolean(node) && ["INPUT", "TEXTAREA", "SELECT"].includes(node.tagName)
    && !["checkbox", "radio", "button", "submit"].includes(node.type);
}

/* Call ``onScan(code)`` for every scanner burst on the page, whatever has the focus. */
export function listenForScanner(onScan, target = document) {
  const detector = new BurstDetector();
  let before = null; // {field, value} as it was when the current burst began
  target.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      detector.reset();
      return;
    }
    if (event.key === "Enter") {
      const code = detector.enter(event.timeStamp);
      if (code === null) {
        return; // typed by hand: the field or button does what Enter does there
      }
      event.preventDefault(); // never submit a form or press a focused button
      event.stopImmediatePropagation();
      if (before && editable(before.field)) {
        before.field.value = before.value;
      }
      before = null;
      onScan(code);
    } else if (event.key.length === 1) {
      const active = document.activeElement;
      if (detector.key(event.key, event.timeStamp)) {
        before = {field: active, value: editable(active) ? active.value : null};
      }
    } else if (event.key !== "Shift") {
      detector.reset(); // arrows, Backspace, Tab: a person at the keyboard
    }
  }, {capture: true});
}
