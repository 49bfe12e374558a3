// Profile form: the residential group list follows the ward picked, from a small JSON endpoint.
// Without this file the form still works: the server refuses a group from another ward and then
// offers the right list.
(function () {
  "use strict";
  var ward = document.querySelector("select[data-groups-url]");
  if (!ward) return;
  var group = document.getElementById(ward.getAttribute("data-groups-target"));
  if (!group) return;
  var status = document.getElementById(ward.getAttribute("data-groups-status"));

  function option(value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  ward.addEventListener("change", function () {
    var code = ward.value;
    group.replaceChildren(option("", code ? group.getAttribute("data-pick") : group.getAttribute("data-pick-ward")));
    if (!code) return;
    group.disabled = true;
    fetch(ward.getAttribute("data-groups-url") + "?ward=" + encodeURIComponent(code), {
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.json() : { groups: [] }; })
      .then(function (data) {
        data.groups.forEach(function (g) { group.appendChild(option(String(g.id), g.name)); });
        if (status) status.textContent = data.groups.length ? "" : group.getAttribute("data-none");
      })
      .catch(function () { if (status) status.textContent = group.getAttribute("data-error"); })
      .finally(function () { group.disabled = false; });
  });
})();
