/* Scanner input: the camera button and its messages, and the repeat filter every scanned or
   typed code passes (a ticket held up to the camera is read many times a second; a USB
   scanner may send a code twice). */

import {Camera, cameraProblem} from "./camera.js";
import {$, T, desk} from "./page.js";
import {canonicalCode} from "./text.js";

const REPEAT_MS = 3000; // the same code again within this time is the same ticket held up

const seen = new Map(); // canonical code (or the text) -> when it was last seen

/* What tells two scans of the same ticket apart: its code, else the text as typed. */
export function scanKey(text) {
  return canonicalCode(text) || text.trim();
}

/* True when this code was already seen within REPEAT_MS; either way it counts as seen now. */
export function isRepeat(text) {
  const key = scanKey(text);
  const now = Date.now();
  const last = seen.get(key);
  seen.set(key, now);
  return last !== undefined && now - last < REPEAT_MS;
}

/* Show the camera box and start or stop scanning from its button; codes go to ``onCode``. */
export function setUpCamera(onCode) {
  const box = $("camera");
  const button = $("camera-toggle");
  const video = $("camera-video");
  const message = $("camera-message");
  const camera = new Camera({video, jsQRUrl: desk.dataset.jsqrUrl, onCode});
  const stop = () => {
    camera.stop();
    video.hidden = true;
    button.textContent = T.start_camera;
    button.setAttribute("aria-pressed", "false");
  };
  box.hidden = false;
  button.addEventListener("click", async () => {
    if (camera.running) {
      stop();
      return;
    }
    message.textContent = "";
    try {
      video.hidden = false;
      await camera.start();
      button.textContent = T.stop_camera;
      button.setAttribute("aria-pressed", "true");
      desk.dataset.camera = "on";
    } catch (error) {
      stop();
      message.textContent = T[cameraProblem(error)];
      desk.dataset.camera = "failed";
    }
  });
  // A hidden tab does not need the camera (and iOS stops it anyway).
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && camera.running) {
      stop();
    }
  });
}
