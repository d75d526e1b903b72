// Draws the dashboard's charts from the numbers the page embeds (#dashboard-data).
// Suppressed or empty values are null: the line has a gap, the bar is missing, and the
// tables beside the charts say "<5" or "–".
(function () {
  "use strict";

  function percent(value) {
    return value === null || value === undefined ? "–" : value.toLocaleString(document.documentElement.lang, {maximumFractionDigits: 1}) + " %";
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var percentAxis = {beginAtZero: true, suggestedMax: 100, ticks: {callback: percent}};
    var tooltip = {callbacks: {label: function (item) { return item.dataset.label + ": " + percent(item.raw); }}};

    var trend = document.getElementById("trend-chart");
    if (trend && data.trend) {
      new Chart(trend, {
        type: "line",
        data: {
          labels: data.trend.labels,
          datasets: data.trend.series.map(function (series) {
            return {label: series.label, data: series.values, spanGaps: false, tension: 0.2};
          })
        },
        options: {animation: false, maintainAspectRatio: false, scales: {y: percentAxis},
                  plugins: {tooltip: tooltip}}
      });
    }

    var bars = document.getElementById("breakdown-chart");
    if (bars && data.breakdown) {
      new Chart(bars, {
        type: "bar",
        data: {labels: data.breakdown.labels,
               datasets: [{label: data.breakdown.label, data: data.breakdown.values}]},
        options: {animation: false, maintainAspectRatio: false, indexAxis: "y",
                  scales: {x: percentAxis}, plugins: {legend: {display: false}, tooltip: tooltip}}
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
