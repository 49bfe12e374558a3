// Redaction page: draw the area to blur on the photo with a mouse, pen or finger instead of typing
// percentages. The four number fields stay the truth (they work without JavaScript, and from the
// keyboard); dragging fills them in, and typing in them moves the frame drawn on the photo.
(function () {
  "use strict";
  var NAMES = ["left", "top", "width", "height"];

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  Array.prototype.forEach.call(document.querySelectorAll(".blur-form"), function (form) {
    var frame = form.querySelector(".blur-frame");
    if (!frame) return;
    var box = frame.querySelector(".blur-box");
    var fields = {};
    NAMES.forEach(function (name) { fields[name] = form.elements[name]; });
    frame.hidden = false;
    var hint = form.querySelector(".blur-hint");
    if (hint) hint.hidden = false;

    function show() {
      var left = clamp(parseFloat(fields.left.value) || 0, 0, 99);
      var top = clamp(parseFloat(fields.top.value) || 0, 0, 99);
      box.style.left = left + "%";
      box.style.top = top + "%";
      box.style.width = clamp(parseFloat(fields.width.value) || 0, 0, 100 - left) + "%";
      box.style.height = clamp(parseFloat(fields.height.value) || 0, 0, 100 - top) + "%";
    }

    // Whole percents, rounded outwards so the blurred area covers at least what was drawn.
    function fill(x1, y1, x2, y2) {
      var left = clamp(Math.floor(Math.min(x1, x2)), 0, 99);
      var top = clamp(Math.floor(Math.min(y1, y2)), 0, 99);
      fields.left.value = left;
      fields.top.value = top;
      fields.width.value = clamp(Math.ceil(Math.max(x1, x2)) - left, 1, 100 - left);
      fields.height.value = clamp(Math.ceil(Math.max(y1, y2)) - top, 1, 100 - top);
      show();
    }

    function percent(event) {
      var rect = frame.getBoundingClientRect();
      return {
        x: clamp((event.clientX - rect.left) / rect.width * 100, 0, 100),
        y: clamp((event.clientY - rect.top) / rect.height * 100, 0, 100)
      };
    }

    var start = null;
    frame.addEventListener("pointerdown", function (event) {
      start = percent(event);
      frame.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    frame.addEventListener("pointermove", function (event) {
      if (!start) return;
      var here = percent(event);
      fill(start.x, start.y, here.x, here.y);
    });
    function stop() { start = null; }
    frame.addEventListener("pointerup", stop);
    frame.addEventListener("pointercancel", stop);
    NAMES.forEach(function (name) { fields[name].addEventListener("input", show); });
    show();
  });
})();
