/* The H5 report form: the phone's location (WeChat JS-SDK wx.getLocation inside WeChat, browser
   geolocation elsewhere or when WeChat refuses), a Leaflet pick map (tiles if configured, otherwise
   the shipped Fujian county outlines, offline), a photo count check, and no double submission. */
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

  function located(la, ln, acc) {
    lat.value = la.toFixed(6);
    lng.value = ln.toFixed(6);
    accuracy.value = Math.round(acc || 0) || "";
    datum.value = "wgs84";
    status.textContent = msg("located").replace("{n}", Math.round(acc || 0));
    place(la, ln, 14);
  }

  function browserLocate() {
    if (!navigator.geolocation) { status.textContent = msg("nogeo"); return; }
    status.textContent = msg("locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      located(pos.coords.latitude, pos.coords.longitude, pos.coords.accuracy);
    }, function () {
      status.textContent = msg("geofail");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  /* Inside WeChat: load the vendored JS-SDK, sign wx.config on the server (/h5/jssdk/) and use
     wx.getLocation. Any failure (no config, wx.error, getLocation fails) falls back to the
     browser's geolocation. */
  var wx = null, wxState = "off", wxPending = false;  // off | loading | ready | failed

  function wxSettled(state) {
    if (wxState === "failed") return;  // wx.error comes before wx.ready on a failed config
    wxState = state;
    if (wxPending) { wxPending = false; locate(); }
  }

  function wxLocate() {
    status.textContent = msg("locating");
    wx.getLocation({
      type: "wgs84",
      success: function (res) {
        var la = parseFloat(res.latitude), ln = parseFloat(res.longitude);
        if (isNaN(la) || isNaN(ln)) { browserLocate(); return; }
        located(la, ln, parseFloat(res.accuracy));
      },
      fail: function () { browserLocate(); },
      cancel: function () { status.textContent = msg("geofail"); }
    });
  }

  function wxStart() {
    var src = form.dataset.jssdkSrc, endpoint = form.dataset.jssdkConfig;
    if (!src || !endpoint || !window.fetch) return;
    wxState = "loading";
    // The npm build is CommonJS (module.exports = wx): give it a module object while it loads.
    var had = Object.prototype.hasOwnProperty.call(window, "module"), saved = window.module;
    var shim = { exports: {} };
    window.module = shim;
    function restore() { if (had) { window.module = saved; } else { try { delete window.module; } catch (e) { window.module = undefined; } } }
    var script = document.createElement("script");
    script.src = src;
    script.onerror = function () { restore(); wxSettled("failed"); };
    script.onload = function () {
      restore();
      wx = (shim.exports && shim.exports.config) ? shim.exports : window.jWeixin;
      if (!wx || !wx.config) { wxSettled("failed"); return; }
      var page = window.location.href.split("#")[0];
      var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "url=" + encodeURIComponent(page);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (conf) {
          wx.error(function () { wxState = "failed"; if (wxPending) { wxPending = false; browserLocate(); } });
          wx.ready(function () { wxSettled("ready"); });
          wx.config({
            debug: false, appId: conf.appId, timestamp: conf.timestamp, nonceStr: conf.nonceStr,
            signature: conf.signature, jsApiList: conf.jsApiList
          });
        })
        .catch(function () { wxSettled("failed"); });
    };
    document.head.appendChild(script);
    setTimeout(function () { if (wxState === "loading") wxSettled("failed"); }, 8000);
  }

  function locate() {
    if (wxState === "ready") { wxLocate(); return; }
    if (wxState === "loading") { wxPending = true; status.textContent = msg("locating"); return; }
    browserLocate();
  }

  if (/MicroMessenger/i.test(navigator.userAgent)) wxStart();
  document.getElementById("locate").addEventListener("click", locate);

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
