// Places pages (Tiện ích). Every page works without this file: the forms take a ward from the list
// or typed coordinates. With it:
//   [data-locate-form]: a "my location" button; the browser asks for the location only after the
//     tap, and a refusal says what to do instead. The point fills the form's lat/lng and sends it.
//   [data-places-map]: the places listed on the page (li[data-lat]) as numbered pins around the
//     chosen point; a tap on the map looks for the same kind around the tapped point.
//   [data-ward-map]: a tap on the map fills the which-ward form and sends it.
// Without map tiles configured, the background is the city's ward outlines (government.maps).
(function () {
  "use strict";

  function number(value) {
    var parsed = parseFloat(value);
    return isFinite(parsed) ? parsed : null;
  }

  function submitPoint(form, lat, lng) {
    form.querySelector("[name=lat]").value = lat.toFixed(6);
    form.querySelector("[name=lng]").value = lng.toFixed(6);
    var ward = form.querySelector("[name=phuong]");
    if (ward) ward.value = "";
    form.submit();
  }

  document.querySelectorAll("[data-locate-form]").forEach(function (form) {
    var tools = form.querySelector("[data-locate-tools]");
    var status = form.querySelector("[data-locate-status]");
    var button = form.querySelector("[data-locate]");
    if (!tools || !button || !("geolocation" in navigator)) return;
    tools.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = status.getAttribute("data-text-locating");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) { submitPoint(form, position.coords.latitude, position.coords.longitude); },
        function (error) {
          button.disabled = false;
          status.textContent = status.getAttribute(error.code === 1 ? "data-text-denied" : "data-text-failed");
          var ward = form.querySelector("[name=phuong], [name=lat]:not([type=hidden])");
          if (ward) ward.focus();
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
      );
    });
  });

  if (typeof window.L === "undefined") return; // no Leaflet: the maps stay hidden, the lists remain

  var pinShape = '<svg viewBox="0 0 28 40" width="28" height="40" aria-hidden="true">' +
    '<path d="M14 1C7 1 1 6.6 1 13.9 1 23.6 14 39 14 39s13-15.4 13-25.1C27 6.6 21 1 14 1z"/>' +
    '<circle cx="14" cy="14" r="8"/></svg>';

  function pin(label) {
    return L.divIcon({
      className: "map-pin",
      html: pinShape + (label ? '<span class="map-pin-number">' + label + "</span>" : ""),
      iconSize: [28, 40], iconAnchor: [14, 39], popupAnchor: [0, -34]
    });
  }

  var origin = L.divIcon({
    className: "places-origin",
    html: '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><circle cx="12" cy="12" r="8"/></svg>',
    iconSize: [24, 24], iconAnchor: [12, 12]
  });

  function baseMap(element, center, zoom) {
    element.hidden = false;
    var map = L.map(element, { center: center, zoom: zoom, minZoom: 8, maxZoom: 19, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { attribution: element.getAttribute("data-tile-attribution") || "", maxZoom: 19 }).addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    outlines(map, element, !!tiles);
    return map;
  }

  function outlines(map, element, overTiles) {
    var url = element.getAttribute("data-boundaries-url");
    if (!url || !window.fetch) return;
    var style = overTiles
      ? { color: "#3d4a5c", weight: 1.5, opacity: 0.8, fill: false }
      : { color: "#66758a", weight: 1, fillColor: "#fbfaf6", fillOpacity: 1 };
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          interactive: false,
          attribution: element.getAttribute("data-boundaries-credit") || "",
          style: function () { return style; }
        }).addTo(map);
        layer.bringToBack();
        element.classList.add("map-outlined");
      })
      .catch(function () { /* the map keeps its plain background */ });
  }

  function placesMap(element) {
    var center = [number(element.getAttribute("data-lat")), number(element.getAttribute("data-lng"))];
    var single = element.hasAttribute("data-single");
    var map = baseMap(element, center, 16);
    var bounds = [center];
    if (!single) {
      L.marker(center, { icon: origin, keyboard: false, title: element.getAttribute("data-text-origin") }).addTo(map);
    }
    var items = document.querySelectorAll("li[data-lat][data-lng]");
    items.forEach(function (item, index) {
      var latlng = [number(item.getAttribute("data-lat")), number(item.getAttribute("data-lng"))];
      var link = document.createElement("a");
      link.href = item.getAttribute("data-url");
      link.textContent = item.getAttribute("data-name");
      L.marker(latlng, { icon: pin(single ? "" : String(index + 1)), keyboard: false }).addTo(map).bindPopup(link);
      bounds.push(latlng);
    });
    if (bounds.length > 1) map.fitBounds(bounds, { maxZoom: 17, padding: [24, 24] });
    if (!single) {
      map.on("click", function (event) {
        var params = new URLSearchParams();
        var kind = element.getAttribute("data-kind");
        if (kind) params.set("loai", kind);
        params.set("lat", event.latlng.lat.toFixed(6));
        params.set("lng", event.latlng.lng.toFixed(6));
        window.location.href = element.getAttribute("data-near-url") + "?" + params.toString();
      });
    }
  }

  function wardMap(element) {
    var lat = number(element.getAttribute("data-lat")), lng = number(element.getAttribute("data-lng"));
    var has = lat !== null && lng !== null;
    var center = has ? [lat, lng] : [number(element.getAttribute("data-center-lat")), number(element.getAttribute("data-center-lng"))];
    var map = baseMap(element, center, has ? 15 : 12);
    if (has) L.marker(center, { icon: pin(""), keyboard: false }).addTo(map);
    var form = document.querySelector("[data-ward-form]");
    map.on("click", function (event) { if (form) submitPoint(form, event.latlng.lat, event.latlng.lng); });
  }

  document.querySelectorAll("[data-places-map], [data-ward-map]").forEach(function (element) {
    try {
      if (element.hasAttribute("data-ward-map")) wardMap(element);
      else placesMap(element);
    } catch (error) {
      element.hidden = true; // a broken map must not break the page
    }
  });
})();
