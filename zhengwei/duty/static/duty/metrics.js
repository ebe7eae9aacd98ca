/* The response dashboard: reports' report_metrics drawn with ECharts (numbers people compare are
   charts). Every label comes from the page (translated), the figures from data.json. */
(function () {
  "use strict";
  var root = document.getElementById("duty-metrics");
  if (!root || !window.echarts) return;
  var L = root.dataset;
  var charts = [];
  window.zwMetrics = { drawn: 0 };

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif" } }, option));
    charts.push(c);
    window.zwMetrics.drawn += 1;
  }

  function item(v, color) {
    return { value: v, raw: v, itemStyle: { color: color } };
  }

  function rawLabel(p) { return p.data && p.data.raw != null ? p.data.raw : L.lNodata; }

  function bars(names, median, p90, opts) {
    return Object.assign({
      tooltip: { trigger: "axis" },
      legend: { data: [L.lMedian, L.lP90], top: 0 },
      grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: L.lMinutes },
      yAxis: { type: "category", data: names, inverse: true },
      series: [
        { name: L.lMedian, type: "bar", data: median.map(function (v) { return item(v, "#0b5394"); }), label: { show: true, position: "right", formatter: rawLabel }, itemStyle: { color: "#0b5394" } },
        { name: L.lP90, type: "bar", data: p90.map(function (v) { return item(v, "#9fc5e8"); }), label: { show: true, position: "right", formatter: rawLabel }, itemStyle: { color: "#9fc5e8" } }
      ]
    }, opts || {});
  }

  fetch(L.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    var t = d.times;
    var first = t.time_to_first_ack;
    chart("chart-headline", {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: [L.lMedian, L.lP90] },
      yAxis: { type: "value", name: L.lMinutes },
      series: [{
        type: "bar",
        barWidth: "45%",
        data: [
          { value: first.median_min, itemStyle: { color: "#0b5394" } },
          { value: first.p90_min, itemStyle: { color: "#9fc5e8" } }
        ],
        label: { show: true, position: "top", formatter: function (p) { return p.value == null ? L.lNodata : p.value; } }
      }]
    });
    var note = root.querySelector("[data-headline-note]");
    if (note) note.textContent = "n = " + first.n + (first.n ? "" : " · " + L.lNodata);

    var keys = ["time_to_auto_ack", "time_to_first_ack", "time_to_dispatch", "time_to_contact", "time_to_resolve"];
    var names = [L.lAuto, L.lFirstAck, L.lDispatch, L.lContact, L.lResolve];
    chart("chart-times", bars(
      names.map(function (n, i) { return n + " (n=" + t[keys[i]].n + ")"; }),
      keys.map(function (k) { return t[k].median_min; }),
      keys.map(function (k) { return t[k].p90_min; }),
      {}
    ));

    var r = d.rates;
    var rateKeys = ["response_rate", "resolution_rate", "satisfaction_rate", "deadline_compliance", "seen_first_by_office", "rating_coverage", "duplicate_rate", "reopen_rate"];
    var rateNames = [L.lResponse, L.lResolution, L.lSatisfaction, L.lDeadline, L.lSeen, L.lCoverage, L.lDuplicate, L.lReopen];
    chart("chart-rates", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? L.lNodata : v + "%"; } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: rateNames, inverse: true },
      series: [{
        type: "bar",
        data: rateKeys.map(function (k, i) {
          var bad = i >= 6; // duplicates and reopens: lower is better
          return { value: r[k], itemStyle: { color: bad ? "#e69138" : (k === "seen_first_by_office" ? "#38761d" : "#0b5394") } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return p.value == null ? L.lNodata : p.value + "%"; } }
      }]
    });

    var dl = d.deadline;
    chart("chart-deadline", {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["45%", "70%"], label: { formatter: "{b}: {c}" }, data: [
        { name: L.lMet, value: dl.met, itemStyle: { color: "#38761d" } },
        { name: L.lMissed, value: dl.missed, itemStyle: { color: "#cc0000" } },
        { name: L.lPending, value: dl.pending, itemStyle: { color: "#b7b7b7" } }
      ] }]
    });
    root.querySelector("[data-overdue-count]").textContent = d.overdue_now.count;
    root.querySelector("[data-overdue-oldest]").textContent = d.overdue_now.oldest_overdue_h == null ? "—" : d.overdue_now.oldest_overdue_h;
    root.querySelector("[data-not-acked]").textContent = d.not_yet_acknowledged;

    chart("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.trend.map(function (x) { return x.day; }) },
      yAxis: [{ type: "value", name: L.lReceived, minInterval: 1 }, { type: "value", name: L.lMinutes }],
      series: [
        { name: L.lReceived, type: "bar", data: d.trend.map(function (x) { return x.received; }), itemStyle: { color: "#cfe2f3" } },
        { name: L.lTrendMedian, type: "line", yAxisIndex: 1, connectNulls: true, data: d.trend.map(function (x) { return x.first_ack_median_min; }), itemStyle: { color: "#0b5394" } },
        { name: L.lTrendP90, type: "line", yAxisIndex: 1, connectNulls: true, lineStyle: { type: "dashed" }, data: d.trend.map(function (x) { return x.first_ack_p90_min; }), itemStyle: { color: "#e69138" } }
      ]
    });

    var hz = Object.keys(d.by_hazard);
    chart("chart-hazard", {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 30, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: hz, inverse: true },
      series: [{ type: "bar", data: hz.map(function (k) { return d.by_hazard[k]; }), label: { show: true, position: "right" }, itemStyle: { color: "#0b5394" } }]
    });
    if (d.inbox) {
      var cats = Object.keys(d.inbox.by_category);
      chart("chart-inbox", {
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 30, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: cats, inverse: true },
        series: [{ type: "bar", data: cats.map(function (k) { return d.inbox.by_category[k]; }), label: { show: true, position: "right" }, itemStyle: { color: "#6fa8dc" } }]
      });
    } else {
      var box = document.getElementById("chart-inbox");
      if (box) box.closest(".col-lg-6").hidden = true;
    }
    var notes = root.querySelector("[data-notes]");
    (d.notes || []).forEach(function (n) { var li = document.createElement("li"); li.textContent = n; notes.appendChild(li); });
    window.zwMetrics.ready = true;
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
