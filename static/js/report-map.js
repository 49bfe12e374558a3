// Maps of the PAKN pages (Leaflet, served by the portal). Every page works without this file or
// without map tiles: the form keeps its ward list and address field, pages keep their text.
//   data-map="picker": the report form's map; a tap drops the pin, the pin can be dragged.
//   data-map="view":   one report's place.
//   data-map="feed":   the pins of the reports listed on the page (li[data-lat]).
// Tiles come from data-tile-url (settings.MAP_TILE_URL) when set; otherwise the pins are drawn on
// a plain background.
(function () {
  "use strict";
  if (typeof window.L === "undefined") return; // Leaflet failed to load: the maps stay hidden

  // Leaflet finds its marker images by their file names, which production's static storage hashes
  // (marker-icon.<hash>.png): its pins would be missing there. The pin is drawn here instead.
  var pin = L.divIcon({
    className: "map-pin",
    html: '<svg viewBox="0 0 28 40" width="28" height="40" aria-hidden="true">' +
      '<path d="M14 1C7 1 1 6.6 1 13.9 1 23.6 14 39 14 39s13-15.4 13-25.1C27 6.6 21 1 14 1z"/>' +
      '<circle cx="14" cy="14" r="5"/></svg>',
    iconSize: [28, 40],
    iconAnchor: [14, 39],
    popupAnchor: [0, -34]
  });

  function baseMap(element, center, zoom) {
    element.hidden = false;
    var map = L.map(element, { center: center, zoom: zoom, minZoom: 8, maxZoom: 19, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false); // only the tile source's own credit, no extra small link
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { attribution: element.getAttribute("data-tile-attribution") || "", maxZoom: 19 }).addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    return map;
  }

  function number(value) {
    var parsed = parseFloat(value);
    return isFinite(parsed) ? parsed : null;
  }

  function picker(element) {
    var latInput = document.getElementById(element.getAttribute("data-lat-input"));
    var lngInput = document.getElementById(element.getAttribute("data-lng-input"));
    var lat = number(latInput && latInput.value), lng = number(lngInput && lngInput.value);
    var hasPoint = lat !== null && lng !== null;
    var center = hasPoint ? [lat, lng] : [number(element.getAttribute("data-center-lat")), number(element.getAttribute("data-center-lng"))];
    var map = baseMap(element, center, hasPoint ? 17 : 13);
    var marker = null;

    function place(latlng, announce) {
      if (!marker) {
        marker = L.marker(latlng, { icon: pin, draggable: true, keyboard: true, title: element.getAttribute("aria-label") }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      } else {
        marker.setLatLng(latlng);
      }
      if (announce) {
        element.dispatchEvent(new CustomEvent("report:point-picked", {
          bubbles: true, detail: { lat: latlng.lat, lng: latlng.lng }
        }));
      }
    }

    if (hasPoint) place(L.latLng(lat, lng), false);
    map.on("click", function (event) { place(event.latlng, true); });
    // The form script moved the point (my location, the photo's location).
    document.addEventListener("report:point", function (event) {
      var latlng = L.latLng(event.detail.lat, event.detail.lng);
      place(latlng, false);
      map.setView(latlng, Math.max(map.getZoom(), 16));
    });
  }

  function view(element) {
    var latlng = [number(element.getAttribute("data-lat")), number(element.getAttribute("data-lng"))];
    var map = baseMap(element, latlng, 16);
    L.marker(latlng, { icon: pin, keyboard: false }).addTo(map);
  }

  function feed(element) {
    var items = document.querySelectorAll("li[data-lat][data-lng]");
    var box = element.closest("details");
    var map = null;
    function draw() {
      if (map || !items.length) return;
      map = baseMap(element, [20.8449, 106.6881], 12);
      var bounds = [];
      items.forEach(function (item) {
        var latlng = [number(item.getAttribute("data-lat")), number(item.getAttribute("data-lng"))];
        var link = document.createElement("a");
        link.href = item.getAttribute("data-url");
        link.textContent = item.getAttribute("data-title");
        L.marker(latlng, { icon: pin }).addTo(map).bindPopup(link);
        bounds.push(latlng);
      });
      map.fitBounds(bounds, { maxZoom: 16, padding: [24, 24] });
    }
    if (!items.length) { if (box) box.hidden = true; return; }
    // A map inside a closed <details> has no size: draw it when it opens.
    if (box && !box.open) box.addEventListener("toggle", function () { if (box.open) draw(); });
    else draw();
  }

  document.querySelectorAll("[data-map]").forEach(function (element) {
    try {
      var kind = element.getAttribute("data-map");
      if (kind === "picker") picker(element);
      else if (kind === "view") view(element);
      else if (kind === "feed") feed(element);
    } catch (error) {
      element.hidden = true; // a broken map must not break the page
    }
  });
})();
