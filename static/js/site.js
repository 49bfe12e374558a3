// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Forms marked data-once disable their submit button after the first tap, so a double tap on a
  // slow network sends one request (the server still deduplicates with an idempotency key).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
      b.setAttribute("aria-disabled", "true");
    });
  });
})();
