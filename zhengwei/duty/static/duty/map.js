/* The report map: Leaflet with clustering; tiles from MAP_TILE_URL, or offline the shipped Fujian
   county outlines. Popups carry a small photo viewer (photos are sent only to roles allowed to
   see them). */
(function () {
  "use strict";
  var el = document.getElementById("duty-map");
  if (!el || !window.L) return;
  var form = document.getElementById("map-filters");
  var countEl = document.querySelector("[data-map-count]");
  var map = L.map(el, { preferCanvas: true, maxZoom: 18, attributionControl: !!el.dataset.tiles });
  map.setView([26.0, 118.3], 7);
  window.zwMap = { map: map, loaded: 0, markers: 0 };
  var colours = { P0: "#dc3545", P1: "#fd7e14", P2: "#0d6efd", P3: "#6c757d" };

  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
  } else {
    fetch(el.dataset.counties).then(function (r) { return r.json(); }).then(function (data) {
      var layer = L.geoJSON(data, {
        style: { color: "#5b7fa6", weight: 1, fillColor: "#f7f9fc", fillOpacity: 1 },
        interactive: false
      }).addTo(map);
      layer.bringToBack();
      window.zwMap.counties = true;
    }).catch(function () {});
  }

  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  map.addLayer(cluster);

  function escape(text) {
    var d = document.createElement("div");
    d.textContent = text == null ? "" : String(text);
    return d.innerHTML;
  }

  function popup(p) {
    var html = '<div class="duty-popup"><b>' + escape(p.ticket) + "</b> · " + escape(p.priority) + " · " + escape(p.hazard) +
      (p.lives_in_danger ? ' <span class="badge text-bg-danger">!</span>' : "") +
      "<br>" + escape(p.state) + " · " + escape(p.county) + " · " + escape(p.received) +
      (p.description ? "<div class=\"mt-1\">" + escape(p.description) + "</div>" : "");
    if (p.photos && p.photos.length) {
      html += '<div class="mt-1">';
      p.photos.forEach(function (src, i) {
        html += '<img src="' + escape(src) + '" data-viewer="' + i + '" alt="' + escape(el.dataset.msgPhotos) + '" loading="lazy">';
      });
      html += "</div>";
    }
    html += '<div class="mt-1"><a href="' + escape(p.url) + '">' + escape(el.dataset.msgOpen) + " ›</a></div></div>";
    return html;
  }

  function viewer(photos, start) {
    var index = start;
    var box = document.createElement("div");
    box.className = "duty-viewer";
    box.setAttribute("data-testid", "photo-viewer");
    box.innerHTML = '<img alt=""><button class="prev" aria-label="‹">‹</button><button class="next" aria-label="›">›</button><button class="close" aria-label="×">×</button>';
    var img = box.querySelector("img");
    function show() { img.src = photos[index]; }
    box.querySelector(".prev").onclick = function (e) { e.stopPropagation(); index = (index + photos.length - 1) % photos.length; show(); };
    box.querySelector(".next").onclick = function (e) { e.stopPropagation(); index = (index + 1) % photos.length; show(); };
    box.querySelector(".close").onclick = function () { box.remove(); };
    box.addEventListener("click", function (e) { if (e.target === box) box.remove(); });
    document.addEventListener("keydown", function key(e) {
      if (e.key === "Escape") { box.remove(); document.removeEventListener("keydown", key); }
    });
    show();
    document.body.appendChild(box);
  }

  function load() {
    var params = new URLSearchParams(new FormData(form));
    fetch(el.dataset.dataUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        cluster.clearLayers();
        var markers = data.features.map(function (f) {
          var p = f.properties;
          var c = f.geometry.coordinates;
          var icon = L.divIcon({
            className: "",
            html: '<div class="duty-pin" style="background:' + (colours[p.priority] || "#0d6efd") + (p.open ? "" : ";opacity:.45") + '"></div>',
            iconSize: [14, 14]
          });
          var m = L.marker([c[1], c[0]], { icon: icon, title: p.ticket });
          m.bindPopup(popup(p), { maxWidth: 320 });
          m.on("popupopen", function (e) {
            e.popup.getElement().querySelectorAll("img[data-viewer]").forEach(function (img) {
              img.addEventListener("click", function () { viewer(p.photos, parseInt(img.dataset.viewer, 10)); });
            });
          });
          return m;
        });
        cluster.addLayers(markers);
        if (markers.length) map.fitBounds(cluster.getBounds().pad(0.2), { maxZoom: 12 });
        if (countEl) countEl.textContent = el.dataset.msgCount.replace("{n}", markers.length);
        window.zwMap.loaded += 1;
        window.zwMap.markers = markers.length;
      });
  }

  form.addEventListener("change", load);
  load();
})();
