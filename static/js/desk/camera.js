/* Continuous QR scanning with the rear camera. The browser's BarcodeDetector where it reads QR
   codes (Android Chrome, macOS); otherwise the vendored jsQR (iOS Safari, Linux Chromium), loaded
   only when needed. Frames are read a few times a second, not every frame: enough for a ticket
   held up to the tablet, and it keeps an old tablet cool. */

const INTERVAL_MS = 150;
const MAX_WIDTH = 640; // jsQR's time grows with the pixel count; 640 px reads a phone's QR well

let jsQRLoading = null;

function loadJsQR(url) {
  if (window.jsQR) {
    return Promise.resolve(window.jsQR);
  }
  if (!jsQRLoading) {
    jsQRLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => (window.jsQR ? resolve(window.jsQR) : reject(new Error("jsQR missing")));
      script.onerror = () => { jsQRLoading = null; reject(new Error("jsQR did not load")); };
      document.head.appendChild(script);
    });
  }
  return jsQRLoading;
}

async function makeDecoder(jsQRUrl) {
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        const detector = new window.BarcodeDetector({formats: ["qr_code"]});
        return async (canvas) => {
          const codes = await detector.detect(canvas);
          return codes.length ? codes[0].rawValue : null;
        };
      }
    } catch {
      // Some builds expose the class but cannot run it: fall back to jsQR.
    }
  }
  const jsQR = await loadJsQR(jsQRUrl);
  return async (canvas, context) => {
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
    return found ? found.data : null;
  };
}

/* Why the camera did not start, as a key into the page's texts. */
export function cameraProblem(error) {
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return "camera_insecure";
  }
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "camera_denied";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
    return "camera_missing";
  }
  if (name === "NotReadableError" || name === "TrackStartError") {
    return "camera_busy";
  }
  return "camera_failed";
}

export class Camera {
  constructor({video, jsQRUrl, onCode}) {
    this.video = video;
    this.jsQRUrl = jsQRUrl;
    this.onCode = onCode;
    this.stream = null;
    this.timer = null;
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", {willReadFrequently: true});
  }

  get running() {
    return this.stream !== null;
  }

  async start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw Object.assign(new Error("no camera API"), {name: "InsecureContext"});
    }
    const decode = await makeDecoder(this.jsQRUrl);
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {facingMode: {ideal: "environment"}, width: {ideal: 1280}, height: {ideal: 720}},
    });
    this.video.srcObject = this.stream;
    this.video.muted = true;
    this.video.setAttribute("playsinline", ""); // iOS: play inside the page, not full screen
    await this.video.play();
    const tick = async () => {
      if (!this.running) {
        return;
      }
      try {
        const text = await this.grab(decode);
        if (text) {
          this.onCode(text);
        }
      } catch {
        // A frame that cannot be read (not ready yet, resized): try the next one.
      }
      if (this.running) {
        // requestAnimationFrame pauses in a background tab; the timeout sets the pace.
        this.timer = setTimeout(() => requestAnimationFrame(tick), INTERVAL_MS);
      }
    };
    tick();
  }

  async grab(decode) {
    const {videoWidth: w, videoHeight: h} = this.video;
    if (!w || !h) {
      return null;
    }
    const scale = Math.min(1, MAX_WIDTH / w);
    this.canvas.width = Math.round(w * scale);
    this.canvas.height = Math.round(h * scale);
    this.context.drawImage(this.video, 0, 0, this.canvas.width, this.canvas.height);
    return decode(this.canvas, this.context);
  }

  stop() {
    clearTimeout(this.timer);
    if (this.stream) {
      this.stream.getTracks().forEach((track) => track.stop());
    }
    this.stream = null;
    this.video.srcObject = null;
  }
}
