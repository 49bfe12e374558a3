// The article editor's tiny toolbar: wraps the selection of the body textarea in an allowed tag.
// No framework; without JavaScript the editor types the few tags by hand (the server sanitises).
(function () {
  "use strict";
  document.querySelectorAll(".rich-toolbar").forEach(function (bar) {
    var area = document.getElementById(bar.getAttribute("aria-controls"));
    if (!area) return;
    bar.hidden = false;
    function wrap(before, after) {
      var start = area.selectionStart, end = area.selectionEnd, text = area.value;
      var chosen = text.slice(start, end);
      area.value = text.slice(0, start) + before + chosen + after + text.slice(end);
      area.focus();
      area.setSelectionRange(start + before.length, start + before.length + chosen.length);
    }
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.wrap) {
        wrap("<" + button.dataset.wrap + ">", "</" + button.dataset.wrap + ">");
      } else if (button.dataset.list) {
        var lines = area.value.slice(area.selectionStart, area.selectionEnd).split("\n").filter(Boolean);
        var items = (lines.length ? lines : [""]).map(function (line) { return "<li>" + line + "</li>"; }).join("\n");
        var start = area.selectionStart;
        area.value = area.value.slice(0, start) + "<ul>\n" + items + "\n</ul>" + area.value.slice(area.selectionEnd);
        area.focus();
      } else if (button.dataset.link) {
        var url = window.prompt(button.dataset.prompt, "https://");
        if (url && /^(https?:|mailto:|tel:)/i.test(url.trim())) {
          wrap('<a href="' + url.trim().replace(/"/g, "%22") + '">', "</a>");
        }
      }
    });
  });
})();
