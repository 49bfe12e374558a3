// The report form, enhanced: "use my location", the ward found from the pin, the photo's GPS as a
// suggested pin, open reports nearby, a check of the number of photos. The form works without it.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var text = function (name) { return form.getAttribute("data-text-" + name) || ""; };
  var latInput = form.querySelector("input[name=lat]");
  var lngInput = form.querySelector("input[name=lng]");
  var unitSelect = form.querySelector("select[name=unit]");
  var categorySelect = form.querySelector("select[name=category]");
  var photoInput = form.querySelector("input[name=photos]");
  var status = document.getElementById("map-status");
  var tools = document.getElementById("map-tools");
  var myLocation = document.getElementById("use-my-location");
  var photoLocation = document.getElementById("use-photo-location");
  var nearbyBox = document.getElementById("nearby");
  var photoNames = document.getElementById("photo-names");
  var unitChosenByHand = false;
  var photoPoint = null;

  function say(message) { if (status) status.textContent = message; }

  function query(url, params) {
    return url + "?" + Object.keys(params).map(function (key) {
      return encodeURIComponent(key) + "=" + encodeURIComponent(params[key]);
    }).join("&");
  }

  function currentPoint() {
    var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
    return isFinite(lat) && isFinite(lng) ? { lat: lat, lng: lng } : null;
  }

  function locateWard(point) {
    fetch(query(form.getAttribute("data-locate-url"), point), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.outside) { say(data.message); return; }
        say(text("point-set") + " " + data.name);
        if (unitSelect && !unitChosenByHand) unitSelect.value = data.code;
      })
      .catch(function () { /* the server checks the point again on submit */ });
  }

  function showNearby() {
    var point = currentPoint();
    if (!nearbyBox || !point || !categorySelect || !categorySelect.value) { if (nearbyBox) nearbyBox.hidden = true; return; }
    var params = { lat: point.lat, lng: point.lng, category: categorySelect.value };
    fetch(query(form.getAttribute("data-nearby-url"), params), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        nearbyBox.textContent = "";
        if (!data.reports || !data.reports.length) { nearbyBox.hidden = true; return; }
        var intro = document.createElement("p");
        intro.textContent = text("nearby");
        var list = document.createElement("ul");
        data.reports.forEach(function (report) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = report.url;
          link.textContent = report.code + ": " + report.title;
          item.appendChild(link);
          item.appendChild(document.createTextNode(" (" + report.status + ", " +
            text("meters").replace("%(distance)s", report.distance_m) + ")"));
          list.appendChild(item);
        });
        nearbyBox.appendChild(intro);
        nearbyBox.appendChild(list);
        nearbyBox.hidden = false;
      })
      .catch(function () { nearbyBox.hidden = true; });
  }

  function setPoint(lat, lng, fromMap) {
    latInput.value = lat.toFixed(6);
    lngInput.value = lng.toFixed(6);
    if (!fromMap) document.dispatchEvent(new CustomEvent("report:point", { detail: { lat: lat, lng: lng } }));
    locateWard({ lat: latInput.value, lng: lngInput.value });
    showNearby();
  }

  document.addEventListener("report:point-picked", function (event) {
    setPoint(event.detail.lat, event.detail.lng, true);
  });
  if (unitSelect) unitSelect.addEventListener("change", function () { unitChosenByHand = true; });
  if (categorySelect) categorySelect.addEventListener("change", showNearby);

  if (tools) tools.hidden = false;
  if (myLocation) {
    if (!("geolocation" in navigator)) {
      myLocation.hidden = true;
    } else {
      myLocation.addEventListener("click", function () {
        say(text("locating"));
        navigator.geolocation.getCurrentPosition(
          function (position) { setPoint(position.coords.latitude, position.coords.longitude, false); },
          function () { say(text("location-failed")); },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }
  }

  function offerPhotoPoint(point) {
    photoPoint = point;
    if (!photoLocation) return;
    photoLocation.hidden = !point;
    if (point && !currentPoint()) say(text("photo-gps"));
  }
  if (photoLocation) {
    photoLocation.addEventListener("click", function () {
      if (photoPoint) setPoint(photoPoint.lat, photoPoint.lng, false);
    });
  }
  // After a failed submission the server may already have read the photo's position.
  var hint = document.getElementById("photo-gps-hint");
  if (hint) offerPhotoPoint({ lat: parseFloat(hint.getAttribute("data-lat")), lng: parseFloat(hint.getAttribute("data-lng")) });

  if (photoInput) {
    photoInput.addEventListener("change", function () {
      var files = Array.prototype.slice.call(photoInput.files || []);
      var max = parseInt(form.getAttribute("data-max-photos"), 10) || 5;
      photoInput.setCustomValidity(files.length > max ? text("too-many") : "");
      if (photoNames) {
        photoNames.textContent = "";
        files.forEach(function (file) {
          var item = document.createElement("li");
          item.textContent = file.name;
          photoNames.appendChild(item);
        });
      }
      if (files.length > max) { photoInput.reportValidity(); return; }
      offerPhotoPoint(null);
      if (!files.length || !window.FormData) return;
      var body = new FormData();
      body.append("photo", files[0]);
      body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      fetch(form.getAttribute("data-photo-location-url"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) { if (data.gps) offerPhotoPoint(data.gps); })
        .catch(function () { /* no suggestion then */ });
    });
  }

  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
  if (currentPoint()) showNearby();
})();
