/* The H5 report form: browser geolocation, a Leaflet pick map (tiles if configured, otherwise the
   shipped Fujian county outlines, offline), a photo count check, and no double submission. */
(function () {
  "use strict";
  var form = document.getElementById("h5-form");
  if (!form) return;
  var lat = document.getElementById("lat"), lng = document.getElementById("lng");
  var accuracy = document.getElementById("accuracy"), datum = document.getElementById("datum");
  var status = document.getElementById("locate-status");
  var mapEl = document.getElementById("map");
  var map = null, marker = null;
  function msg(name) { return form.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || ""; }

  function place(la, ln, zoom) {
    if (!map) return;
    var point = [la, ln];
    if (marker) { marker.setLatLng(point); } else { marker = L.marker(point).addTo(map); }
    map.setView(point, zoom || Math.max(map.getZoom(), 11));
  }

  if (window.L && mapEl) {
    map = L.map(mapEl, { zoomControl: true, attributionControl: !!mapEl.dataset.tiles });
    map.setView([26.0, 118.2], 6);
    if (mapEl.dataset.tiles) {
      L.tileLayer(mapEl.dataset.tiles, { maxZoom: 18, attribution: mapEl.dataset.attribution || "" }).addTo(map);
    } else {
      fetch(mapEl.dataset.counties).then(function (r) { return r.json(); }).then(function (data) {
        var layer = L.geoJSON(data, { style: { color: "#0b5394", weight: 1, fillColor: "#fff", fillOpacity: 0.7 } }).addTo(map);
        layer.eachLayer(function (f) { f.bindTooltip(f.feature.properties.name, { sticky: true }); });
        if (!lat.value) map.fitBounds(layer.getBounds());
      }).catch(function () {});
    }
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lng.value = e.latlng.lng.toFixed(6);
      accuracy.value = "";
      // Tiles from 高德 and the like are drawn in GCJ-02; the offline outlines are WGS-84.
      datum.value = mapEl.dataset.tiles ? (mapEl.dataset.datum || "wgs84") : "wgs84";
      place(e.latlng.lat, e.latlng.lng);
      status.textContent = msg("marked");
    });
    if (lat.value && lng.value) place(parseFloat(lat.value), parseFloat(lng.value), 12);
  }

  document.getElementById("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = msg("nogeo"); return; }
    status.textContent = msg("locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      accuracy.value = Math.round(pos.coords.accuracy || 0) || "";
      datum.value = "wgs84";
      status.textContent = msg("located").replace("{n}", Math.round(pos.coords.accuracy || 0));
      place(pos.coords.latitude, pos.coords.longitude, 14);
    }, function () {
      status.textContent = msg("geofail");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  var photos = document.getElementById("photos"), warning = document.getElementById("photo-warning");
  photos.addEventListener("change", function () {
    warning.textContent = photos.files.length > 9 ? msg("toomany") : "";
  });

  form.addEventListener("submit", function (e) {
    if (photos.files.length > 9) { e.preventDefault(); warning.textContent = msg("toomany"); return; }
    var button = document.getElementById("submit");
    button.disabled = true;
    button.textContent = msg("sending");
  });
})();
