// Maps of the PAKN pages (Leaflet, served by the portal). Every page works without this file or
// without map tiles: the form keeps its ward list and address field, pages keep their text.
//   data-map="picker": the report form's map; a tap drops the pin, the pin can be dragged.
//   data-map="view":   one report's place.
//   data-map="feed":   the pins of the reports listed on the page (li[data-lat]).
// Tiles come from data-tile-url (settings.MAP_TILE_URL) when set; otherwise the map's background is
// the city's ward and commune outlines (data-boundaries-url, government.maps), with the names from
// zoom LABEL_MIN_ZOOM on. Over tiles the outlines are an overlay that a button switches off. The ward
// of the pin (picker) or of the report (view, data-unit) is drawn highlighted.
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
    map.attributionControl.setPrefix(false); // only the sources' own credits, no extra small link
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { attribution: element.getAttribute("data-tile-attribution") || "", maxZoom: 19 }).addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    map.wards = wards(map, element, !!tiles);
    return map;
  }

  // --- Ward outlines ------------------------------------------------------------------------------

  var LABEL_MIN_ZOOM = 13;
  var STYLE = {
    plain: { color: "#66758a", weight: 1, fillColor: "#fbfaf6", fillOpacity: 1 },
    overlay: { color: "#3d4a5c", weight: 1.5, opacity: 0.8, fill: false },
    current: { color: "#0b5cab", weight: 3, opacity: 1, fillColor: "#0b5cab", fillOpacity: 0.12, fill: true }
  };

  // Even-odd rule over every ring of the polygon: a point in a hole is outside.
  function inPolygon(lng, lat, rings) {
    var inside = false;
    rings.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if ((yi > lat) !== (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
      }
    });
    return inside;
  }

  function wardAt(features, latlng) {
    for (var i = 0; i < features.length; i++) {
      var polygons = features[i].geometry.coordinates;
      for (var k = 0; k < polygons.length; k++) {
        if (inPolygon(latlng.lng, latlng.lat, polygons[k])) return features[i].properties.code;
      }
    }
    return null;
  }

  // The outlines load after the map shows; until then highlight() only remembers what to draw.
  function wards(map, element, overTiles) {
    var url = element.getAttribute("data-boundaries-url");
    var state = { features: [], layers: {}, current: null, wanted: null };
    var api = {
      highlight: function (code) { state.wanted = { code: code }; apply(); },
      highlightAt: function (latlng) { state.wanted = { latlng: latlng }; apply(); }
    };
    if (!url || !window.fetch) return api;

    var base = overTiles ? STYLE.overlay : STYLE.plain;
    map.createPane("wardLabels").style.zIndex = 450; // above the outlines, below the pins
    var outlines = null, labels = L.layerGroup(), shown = true;

    function apply() {
      if (!outlines || !state.wanted) return;
      var code = state.wanted.code !== undefined ? state.wanted.code : wardAt(state.features, state.wanted.latlng);
      if (code === state.current) return;
      mark(state.current, false);
      state.current = code;
      mark(code, true);
    }

    function mark(code, on) {
      var entry = code && state.layers[code];
      if (!entry) return;
      entry.layer.setStyle(on ? STYLE.current : base);
      if (on) entry.layer.bringToFront();
      var path = entry.layer.getElement && entry.layer.getElement();
      if (path) path.classList.toggle("map-ward-current", on);
      var label = entry.label.getElement && entry.label.getElement();
      if (label) label.classList.toggle("map-ward-label-current", on);
    }

    // Leaflet makes new path elements whenever the outlines are added again.
    function decorate() {
      outlines.eachLayer(function (layer) {
        var path = layer.getElement && layer.getElement();
        if (path) path.setAttribute("data-code", layer.feature.properties.code);
      });
      if (state.current) mark(state.current, true);
    }

    function showLabels() {
      var wanted = shown && map.getZoom() >= LABEL_MIN_ZOOM;
      if (wanted && !map.hasLayer(labels)) {
        labels.addTo(map);
        if (state.current) mark(state.current, true);
      } else if (!wanted && map.hasLayer(labels)) {
        labels.remove();
      }
    }

    function toggleButton() {
      var Toggle = L.Control.extend({
        options: { position: "topright" },
        onAdd: function () {
          var button = L.DomUtil.create("button", "map-toggle");
          button.type = "button";
          button.textContent = element.getAttribute("data-text-boundaries") || "";
          button.setAttribute("aria-pressed", "true");
          L.DomEvent.disableClickPropagation(button);
          L.DomEvent.on(button, "click", function () {
            shown = !shown;
            button.setAttribute("aria-pressed", shown ? "true" : "false");
            if (shown) { outlines.addTo(map); decorate(); } else outlines.remove();
            showLabels();
          });
          return button;
        }
      });
      new Toggle().addTo(map);
    }

    fetch(url, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        state.features = data.features || [];
        outlines = L.geoJSON(data, {
          interactive: false, // a tap goes to the map (the picker drops its pin there)
          attribution: element.getAttribute("data-boundaries-credit") || "",
          style: function () { return base; },
          onEachFeature: function (feature, layer) {
            var name = document.createElement("span");
            name.textContent = feature.properties.name;
            var point = feature.properties.label;
            var label = L.tooltip({ permanent: true, direction: "center", className: "map-ward-label", pane: "wardLabels", interactive: false })
              .setLatLng([point[1], point[0]]).setContent(name);
            labels.addLayer(label);
            state.layers[feature.properties.code] = { layer: layer, label: label };
          }
        }).addTo(map);
        decorate();
        element.classList.add("map-outlined");
        map.on("zoomend", showLabels);
        showLabels();
        if (overTiles) toggleButton();
        apply();
      })
      .catch(function () { /* no outlines: the map keeps its plain background */ });
    return api;
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
      map.wards.highlightAt(latlng);
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
    if (element.getAttribute("data-unit")) map.wards.highlight(element.getAttribute("data-unit"));
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
