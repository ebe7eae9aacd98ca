// The newsroom metrics charts (ECharts), from the JSON the page carries.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("newsroom-metrics").textContent);
  function chart(name, option) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el || !window.echarts) return;
    var c = window.echarts.init(el);
    c.setOption(Object.assign({ tooltip: { trigger: "axis" }, grid: { left: 40, right: 20, top: 30, bottom: 30 } }, option));
    window.addEventListener("resize", function () { c.resize(); });
  }
  var pick = function (rows, key) { return rows.map(function (r) { return r[key]; }); };
  chart("weeks", {
    legend: { data: ["推送", "原创", "目标"] },
    xAxis: { type: "category", data: pick(data.weeks, "week") }, yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "推送", type: "bar", data: data.weeks.map(function (w) { return { value: w.pushes, itemStyle: { color: w.pushes < w.target ? "#dc3545" : "#2f6fb0" } }; }) },
      { name: "原创", type: "bar", data: pick(data.weeks, "originals"), itemStyle: { color: "#2e8b57" } },
      { name: "目标", type: "line", step: "middle", data: pick(data.weeks, "target"), itemStyle: { color: "#d9822b" } }
    ]
  });
  chart("months", {
    legend: { data: ["中位数", "P90"] },
    xAxis: { type: "category", data: pick(data.months, "month") }, yAxis: { type: "value" },
    series: [{ name: "中位数", type: "bar", data: pick(data.months, "median") }, { name: "P90", type: "line", data: pick(data.months, "p90") }]
  });
  chart("columns", {
    legend: { data: ["稿件", "原创"] },
    xAxis: { type: "category", data: pick(data.columns, "column") }, yAxis: { type: "value", minInterval: 1 },
    series: [{ name: "稿件", type: "bar", data: pick(data.columns, "articles") }, { name: "原创", type: "bar", data: pick(data.columns, "originals") }]
  });
  chart("levels", {
    xAxis: { type: "category", data: pick(data.levels, "level") }, yAxis: { type: "value" },
    series: [{ name: "中位数（小时）", type: "bar", data: pick(data.levels, "median") }]
  });
})();
