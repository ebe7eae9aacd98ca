/* Charts of the WeChat API pages, drawn with ECharts from the JSON the page embeds
   (json_script); every label comes from the page's data-l-* attributes (translated). */
(function () {
  "use strict";
  if (!window.echarts) return;
  var charts = [];
  var font = { fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif" };

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw(el, option) {
    var c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(Object.assign({ animation: false, textStyle: font, tooltip: { trigger: "axis" },
      legend: { top: 0 }, grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true } }, option));
    charts.push(c);
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var L = el.dataset;
    if (L.chart === "api") {
      var d = data("wx-api-chart-data");
      if (!d) return;
      draw(el, {
        xAxis: { type: "category", data: d.hours, axisLabel: { interval: 5 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: L.lCalls, type: "bar", data: d.calls, itemStyle: { color: "#9fc5e8" } },
          { name: L.lErrors, type: "bar", barGap: "-100%", data: d.errors, itemStyle: { color: "#cc0000" } }
        ]
      });
    } else if (L.chart === "followers") {
      var f = data("wx-stats-chart-data");
      if (!f) return;
      draw(el, {
        xAxis: { type: "category", data: f.days },
        yAxis: [{ type: "value", minInterval: 1 }, { type: "value", scale: true, name: L.lCumulate }],
        series: [
          { name: L.lNew, type: "bar", data: f["new"], itemStyle: { color: "#0b5394" } },
          { name: L.lCancel, type: "bar", data: f.cancel, itemStyle: { color: "#e69138" } },
          { name: L.lCumulate, type: "line", yAxisIndex: 1, connectNulls: true, data: f.cumulate, itemStyle: { color: "#38761d" } }
        ]
      });
    } else if (L.chart === "reads") {
      var r = data("wx-stats-chart-data");
      if (!r) return;
      draw(el, {
        xAxis: { type: "category", data: r.days },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: L.lReads, type: "line", connectNulls: true, areaStyle: { opacity: 0.15 }, data: r.reads, itemStyle: { color: "#0b5394" } },
          { name: L.lShares, type: "line", connectNulls: true, data: r.shares, itemStyle: { color: "#6fa8dc" } }
        ]
      });
    }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
