/* The performance dashboard: month-by-month series and the cross-account comparison from
   dashboard.json, drawn with ECharts. Labels come from the page (translated); a null value is a
   gap (no data), never a zero. */
(function () {
  "use strict";
  var root = document.getElementById("perf-dashboard");
  if (!root || !window.echarts) return;
  var L = root.dataset;
  window.zwPerf = { drawn: 0 };
  var font = { fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif" };

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(Object.assign({ animation: false, textStyle: font, tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true } }, option));
    window.addEventListener("resize", function () { c.resize(); });
    window.zwPerf.drawn += 1;
  }
  function line(name, data, axis, extra) {
    return Object.assign({ name: name, type: "line", data: data, connectNulls: false, yAxisIndex: axis || 0, symbolSize: 6 }, extra || {});
  }
  function bar(name, data, axis, extra) {
    return Object.assign({ name: name, type: "bar", data: data, yAxisIndex: axis || 0 }, extra || {});
  }
  function twoAxes() { return [{ type: "value" }, { type: "value", splitLine: { show: false } }]; }

  fetch(L.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    var m = d.months, x = { type: "category", data: m.labels };
    chart("chart-cadence", { legend: { top: 0 }, xAxis: x, yAxis: twoAxes(), series: [
      bar(L.lPushes, m.cadence.pushes), line(L.lPlanned, m.cadence.planned, 0, { lineStyle: { type: "dashed" } }),
      line(L.lArticles, m.cadence.articles, 1), line(L.lOriginals, m.cadence.originals, 1)] });
    chart("chart-audience", { legend: { top: 0 }, xAxis: x, yAxis: twoAxes(), series: [
      bar(L.lReads, m.audience.reads), line(L.lNet, m.audience.net, 1), line(L.lFollowers, m.audience.followers, 1)] });
    var missing = m.labels.map(function (l, i) { return m.audience.missing_days[i] ? l + "：" + m.audience.missing_days[i] : null; }).filter(Boolean);
    root.querySelector("[data-missing-note]").textContent = missing.length ? L.lMissing + " — " + missing.join("，") : "";
    chart("chart-messages", { legend: { top: 0 }, xAxis: x, yAxis: twoAxes(), series: [
      line(L.lFirstMedian, m.messages.first_median_h), line(L.lFirstP90, m.messages.first_p90_h),
      bar(L.lInSla, m.messages.in_sla_pct, 1, { itemStyle: { opacity: 0.35 } })] });
    chart("chart-reports", { legend: { top: 0 }, xAxis: x, yAxis: twoAxes(), series: [
      bar(L.lReports, m.reports.received, 1, { itemStyle: { opacity: 0.35 } }), line(L.lAck, m.reports.first_ack_median_min),
      line(L.lDeadline, m.reports.deadline_pct, 1), line(L.lResolution, m.reports.resolution_pct, 1)] });
    chart("chart-scores", { legend: { top: 0 }, xAxis: x, yAxis: [{ type: "value", max: 100 }, { type: "value", splitLine: { show: false } }], series: [
      bar(L.lScore, m.scorecards.total), line(L.lReviewDays, m.scorecards.review_days, 1)] });
    root.setAttribute("data-ready", "1");
  }).then(function () {
    return fetch(L.compareUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); });
  }).then(function (d) {
    var pm = d.compare.per_model;
    chart("chart-models", { legend: { top: 0 }, xAxis: { type: "category", data: pm.indicators.map(function (i) { return i.label; }), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: "value" }, series: pm.models.map(function (name, k) {
        return bar(name + "（" + pm.counts[k] + "）", pm.indicators.map(function (i) { return i.values[k]; }));
      }) });
    var pa = d.compare.per_account;
    chart("chart-accounts", { legend: { top: 0, type: "scroll" }, xAxis: { type: "category", data: pa.accounts, axisLabel: { interval: 0, rotate: pa.accounts.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" }, series: pa.indicators.map(function (i) { return bar(i.label + (i.unit ? "（" + i.unit + "）" : ""), i.values); }) });
    root.setAttribute("data-compared", "1");
  });
})();
