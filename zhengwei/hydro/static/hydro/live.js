/* The 汛情实况 maps: Leaflet over the shipped Fujian county outlines (no tiles, no network).
   #live-map: stations coloured by 24 h rain grade or by level status.
   #track-map: a typhoon's observed path by grade, forecasts dashed, wind radii, warning lines. */
(function () {
  "use strict";
  if (!window.L) return;

  function base(el, center, zoom) {
    var map = L.map(el, { preferCanvas: true, attributionControl: false, zoomSnap: 0.5 });
    map.setView(center, zoom);
    fetch(el.dataset.counties).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, { style: { color: "#5b7fa6", weight: 1, fillColor: "#fbfcfe", fillOpacity: 1 }, interactive: false })
        .addTo(map).bringToBack();
      el.dataset.ready = "1";
    }).catch(function () { el.dataset.ready = "1"; });
    return map;
  }

  function escape(text) {
    var d = document.createElement("div");
    d.textContent = text == null ? "" : String(text);
    return d.innerHTML;
  }

  var RAIN = [[250, "#8b0000"], [100, "#c000c0"], [50, "#e00000"], [25, "#ff8c00"], [10, "#2e9e44"], [0.1, "#7ec8e3"]];
  var STATUS = { guarantee: "#c00000", warning: "#ff5722", limit: "#f0a000", normal: "#1f6fd1" };

  var live = document.getElementById("live-map");
  if (live) {
    var map = base(live, [26.0, 118.3], 6.5);
    var layer = live.dataset.layer;
    fetch(live.dataset.stations).then(function (r) { return r.json(); }).then(function (data) {
      var shown = 0;
      data.features.forEach(function (f) {
        var p = f.properties, colour = null, label = "";
        if (layer === "rain" && p.p24 !== undefined) {
          for (var i = 0; i < RAIN.length; i++) { if (p.p24 >= RAIN[i][0]) { colour = RAIN[i][1]; break; } }
          colour = colour || "#cccccc";
          label = p.p24 + " mm · " + p.grade;
        } else if (layer === "water" && p.z !== undefined) {
          colour = STATUS[p.s] || STATUS.normal;
          label = p.z + " m · " + p.status;
        }
        if (!colour) return;
        var c = f.geometry.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 6, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.95 })
          .bindPopup("<b>" + escape(p.name) + "</b><br>" + escape(label)).addTo(map);
        shown++;
      });
      live.dataset.markers = String(shown);
    });
  }

  var trackEl = document.getElementById("track-map");
  if (trackEl) {
    var tmap = base(trackEl, [24.5, 121.0], 5);
    fetch(trackEl.dataset.track).then(function (r) { return r.json(); }).then(function (t) {
      L.polyline(t.lines["24"], { color: "#d00", weight: 1.5, dashArray: "2 6" }).bindTooltip(trackEl.dataset.msgLine24).addTo(tmap);
      L.polyline(t.lines["48"], { color: "#d0a000", weight: 1.5, dashArray: "2 6" }).bindTooltip(trackEl.dataset.msgLine48).addTo(tmap);
      var path = t.observed.map(function (p) { return [p.lat, p.lng]; });
      if (path.length) L.polyline(path, { color: "#333", weight: 2 }).addTo(tmap);
      var rows = document.getElementById("track-rows");
      t.observed.forEach(function (p) {
        L.circleMarker([p.lat, p.lng], { radius: 5, color: "#fff", weight: 1, fillColor: p.colour, fillOpacity: 1 })
          .bindPopup("<b>" + escape(p.tm) + "</b><br>" + escape(p.grade) + " " + escape(p.force) +
            (p.wind ? " " + p.wind + " m/s" : "") + (p.pressure ? " · " + p.pressure + " hPa" : "")).addTo(tmap);
        if (rows) {
          var tr = document.createElement("tr");
          tr.innerHTML = "<td>" + escape(p.tm) + "</td><td>" + p.lat + "°N " + p.lng + "°E</td><td>" + escape(p.grade) +
            "</td><td class=\"text-end\">" + (p.wind ? escape(p.force) + " " + p.wind : "—") + "</td><td class=\"text-end\">" + (p.pressure || "—") + "</td>";
          rows.appendChild(tr);
        }
      });
      var colours = ["#d6336c", "#1f6fd1", "#2e9e44", "#f08c00"];
      Object.keys(t.forecasts).forEach(function (agency, i) {
        var f = t.forecasts[agency];
        var start = t.observed.length ? [[t.observed[t.observed.length - 1].lat, t.observed[t.observed.length - 1].lng]] : [];
        L.polyline(start.concat(f.map(function (p) { return [p.lat, p.lng]; })),
          { color: colours[i % colours.length], weight: 2, dashArray: "6 5" }).bindTooltip(agency).addTo(tmap);
      });
      function quadrants(lat, lng, radii, colour, name) {
        var r = radii.split("|").map(Number);
        if (r.length !== 4) return;
        var pts = [];
        for (var q = 0; q < 4; q++) {
          for (var a = q * 90; a <= q * 90 + 90; a += 10) {
            var rad = a * Math.PI / 180, d = r[q] / 111.2;
            pts.push([lat + d * Math.cos(rad), lng + d * Math.sin(rad) / Math.cos(lat * Math.PI / 180)]);
          }
        }
        L.polygon(pts, { color: colour, weight: 1, fillOpacity: 0.12 }).bindTooltip(name).addTo(tmap);
      }
      if (t.radii) {
        quadrants(t.radii.lat, t.radii.lng, t.radii.r7, "#f0a000", trackEl.dataset.msgR7);
        if (t.radii.r10) quadrants(t.radii.lat, t.radii.lng, t.radii.r10, "#e00000", trackEl.dataset.msgR10);
      }
      if (path.length) tmap.fitBounds(L.latLngBounds(path).pad(0.3));
      trackEl.dataset.points = String(t.observed.length);
    });
  }
})();
