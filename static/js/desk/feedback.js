/* Sound and vibration for a result, so the volunteer hears it without looking: ok is one short
   high beep, warn two middle beeps, bad one long low buzz. Colour, icon and words say the same
   on screen (render.js), so a muted tablet loses nothing. */

const TONES = {ok: [[880, 0, 0.12]], warn: [[520, 0, 0.1], [520, 0.18, 0.1]], bad: [[180, 0, 0.45]]};
const VIBRATIONS = {ok: 80, warn: [80, 60, 80], bad: [300]};

let audio = null;

/* Browsers (iOS above all) start sound only from a tap or a key: create the context then. */
export function unlockAudio() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === "suspended") {
      audio.resume();
    }
  } catch {
    audio = null;
  }
}

/* Play the tone ("ok", "warn" or "bad") and vibrate where the device can. */
export function beep(tone) {
  try {
    if (!audio) {
      unlockAudio();
    }
    for (const [frequency, start, length] of TONES[tone]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = tone === "bad" ? "square" : "sine";
      osc.frequency.value = frequency;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + start);
      osc.stop(audio.currentTime + start + length);
    }
  } catch {
    // no sound on this device: colour, icon and text still say it
  }
  if (navigator.vibrate) {
    navigator.vibrate(VIBRATIONS[tone]);
  }
}
