// Every page: registers the portal's service worker (templates/pwa/sw.js) and shows a message a
// report sent from an offline draft left for the next page (static/pwa/drafts.js). Pages work
// without this file; a browser without service workers simply has no offline page.
(function () {
  "use strict";
  var script = document.currentScript;
  var workerUrl = script && script.getAttribute("data-service-worker");
  if (workerUrl && "serviceWorker" in navigator) {
    // After the page has loaded: the worker's first download must not slow the page a citizen waits for.
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(workerUrl, { scope: "/" }).catch(function () { /* no offline page then */ });
    });
  }

  var flash;
  try {
    flash = sessionStorage.getItem("smarthp-flash");
    sessionStorage.removeItem("smarthp-flash");
  } catch (error) {
    return; // storage refused (private mode): nothing was left
  }
  var main = document.getElementById("main");
  if (!flash || !main) return;
  var region = document.createElement("div");
  region.setAttribute("role", "status");
  var list = document.createElement("ul");
  list.className = "messages";
  var item = document.createElement("li");
  item.className = "message message-success";
  item.textContent = flash;
  list.appendChild(item);
  region.appendChild(list);
  main.insertBefore(region, main.firstChild);
})();
