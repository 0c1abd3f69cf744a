/* The ticket page and the printed sheet: a Print button, and on the ticket page a service
   worker that keeps the opened ticket (page, QR images, stylesheet) on the phone, so it still
   opens at the door without a network. Plain JavaScript, no framework. */
(function () {
  "use strict";
  var script = document.currentScript;

  var printButton = document.getElementById("print-ticket");
  if (printButton && typeof window.print === "function") {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var workerUrl = script && script.getAttribute("data-sw");
  if (!workerUrl || !("serviceWorker" in navigator) || !window.MessageChannel) {
    return;
  }

  function pageAssets() {
    var urls = [location.href.split("#")[0]];
    var nodes = document.querySelectorAll("img.qr, link[rel=stylesheet], script[src]");
    Array.prototype.forEach.call(nodes, function (node) {
      urls.push(node.src || node.href);
    });
    return urls;
  }

  function keep(worker, urls) {
    return new Promise(function (resolve, reject) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data && event.data.ok) { resolve(); } else { reject(new Error("not kept")); }
      };
      worker.postMessage({type: "keep", urls: urls}, [channel.port2]);
    });
  }

  // "none": the browser checks the worker's importScripts (sw-cache.js) for changes too.
  navigator.serviceWorker.register(workerUrl, {updateViaCache: "none"})
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) { return keep(registration.active, pageAssets()); })
    .then(function () {
      document.documentElement.setAttribute("data-offline-ready", "true");
      var note = document.getElementById("offline-ready");
      if (note) { note.hidden = false; }
    })
    .catch(function () { /* the ticket still works online */ });
})();
