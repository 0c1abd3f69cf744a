/* The kiosk's way out: the lock in the corner leads to the PIN form only after it is held for
   two seconds (finger, mouse, or Enter/Space held), so a child tapping around never sees it;
   a volunteer is told how on the desk page. The PIN (or password) is the lock itself, checked
   by the server; without this script a tap opens the PIN form directly. */

const HOLD_MS = 2000;
const corner = document.getElementById("kiosk-exit");

if (corner) {
  let timer = null;
  const start = (event) => {
    event.preventDefault();
    if (timer === null) {
      corner.classList.add("holding");
      timer = setTimeout(() => window.location.assign(corner.href), HOLD_MS);
    }
  };
  const stop = () => {
    clearTimeout(timer);
    timer = null;
    corner.classList.remove("holding");
  };
  corner.addEventListener("click", (event) => event.preventDefault()); // a tap does nothing
  corner.addEventListener("contextmenu", (event) => event.preventDefault());
  corner.addEventListener("pointerdown", start);
  for (const name of ["pointerup", "pointerleave", "pointercancel"]) {
    corner.addEventListener(name, stop);
  }
  corner.addEventListener("keydown", (event) => {
    if ((event.key === "Enter" || event.key === " ") && !event.repeat) {
      start(event);
    }
  });
  corner.addEventListener("keyup", stop);
}
