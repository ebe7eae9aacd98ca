/* Before and after a change of operation model: one small ECharts bar chart per indicator (each
   has its own unit), before in grey, after in blue; a missing value is no bar, never a zero. */
(function () {
  "use strict";
  var root = document.getElementById("before-after");
  var source = document.getElementById("before-after-data");
  if (!root || !source || !window.echarts) return;
  var L = root.dataset, data = JSON.parse(source.textContent);
  window.zwPerf = { drawn: 0 };
  data.indicators.forEach(function (row) {
    var col = document.createElement("div");
    col.className = "col-sm-6 col-lg-4 col-xl-3";
    var card = document.createElement("div");
    card.className = "zw-card";
    var h = document.createElement("h2");
    h.className = "h6";
    h.textContent = row.label + (row.unit ? "（" + row.unit + "）" : "");
    var el = document.createElement("div");
    el.className = "perf-chart-small";
    el.setAttribute("data-testid", "chart-" + row.code);
    card.appendChild(h); card.appendChild(el); col.appendChild(card); root.appendChild(col);
    var c = echarts.init(el, null, { renderer: "svg" });
    c.setOption({
      animation: false,
      textStyle: { fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif" },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: [L.lBefore, L.lAfter] },
      yAxis: { type: "value" },
      series: [{
        type: "bar", barWidth: "45%",
        data: [
          { value: row.before, itemStyle: { color: "#9aa5b1" } },
          { value: row.after, itemStyle: { color: row.better === false ? "#c0392b" : "#2f6fb0" } }
        ],
        label: { show: true, position: "top", formatter: function (p) { return p.value == null ? L.lNodata : p.value; } }
      }]
    });
    window.addEventListener("resize", function () { c.resize(); });
    window.zwPerf.drawn += 1;
  });
})();
