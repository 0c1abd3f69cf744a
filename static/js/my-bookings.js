/* "My bookings" on this phone: no account, just localStorage. Plain JS, no framework. */
(function () {
  "use strict";
  var KEY = "nordby.myBookings";

  function load() {
    try {
      var list = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }

  function save(list) {
    try {
      localStorage.setItem(KEY, JSON.stringify(list.slice(0, 50)));
    } catch { /* storage full or disabled: the page still works */ }
  }

  // Only our own manage links may be stored or shown (never e.g. a javascript: URL).
  function safeUrl(url) {
    return typeof url === "string" && /^\/b\/[A-Za-z0-9_-]+$/.test(url);
  }

  function remember(el) {
    var url = el.getAttribute("data-url");
    if (!safeUrl(url)) return;
    var list = load().filter(function (b) { return b.url !== url; });
    if (el.getAttribute("data-cancelled") !== "true") {
      list.unshift({
        name: el.getAttribute("data-name") || "",
        date: el.getAttribute("data-date") || "",
        url: url
      });
    }
    save(list);
  }

  function render(ul) {
    var list = load().filter(function (b) { return b && safeUrl(b.url); });
    var empty = document.getElementById("my-bookings-empty");
    ul.textContent = "";
    if (empty) empty.hidden = list.length > 0;
    list.forEach(function (b) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = b.url;
      a.textContent = b.name || b.url;
      a.setAttribute("dir", "auto");
      li.appendChild(a);
      if (b.date) {
        var p = document.createElement("p");
        p.className = "date";
        p.textContent = b.date;
        li.appendChild(p);
      }
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "button small";
      btn.textContent = ul.getAttribute("data-remove-label") || "Remove";
      btn.setAttribute("aria-label", btn.textContent + ": " + (b.name || ""));
      btn.addEventListener("click", function () {
        save(load().filter(function (x) { return x.url !== b.url; }));
        render(ul);
      });
      li.appendChild(btn);
      ul.appendChild(li);
    });
  }

  function start() {
    var booking = document.getElementById("my-booking");
    if (booking) remember(booking);
    var ul = document.getElementById("my-bookings-list");
    if (ul) render(ul);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
