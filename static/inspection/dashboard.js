// Trend lines of the monthly on-time rate. The table above holds the same figures for everyone
// who cannot see the chart; without ECharts (npm missing at install) the chart stays empty.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("trend-chart");
  var data = document.getElementById("trend-data");
  if (!box || !data || typeof echarts === "undefined") { if (box) box.style.display = "none"; return; }
  var trend = JSON.parse(data.textContent);
  var chart = echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: "category", data: trend.months },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: trend.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
