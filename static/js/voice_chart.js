// Draws the participant's own answers over time (participants/partials/_voice.html): one
// line per question, from the numbers the region embeds. The region arrives by htmx, so
// each swap draws the charts it brought; the table beside the chart has the same numbers.
(function () {
  "use strict";

  function draw(root) {
    if (typeof Chart === "undefined" || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("canvas[data-voice-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-voice-chart"));
      if (!source || Chart.getChart(canvas)) {
        return;
      }
      var data = JSON.parse(source.textContent);
      new Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series) {
            return {label: series.label, data: series.values, spanGaps: true, tension: 0.2};
          })
        },
        options: {
          animation: false, maintainAspectRatio: false,
          scales: {y: {min: data.min, max: data.max, ticks: {stepSize: 1}}},
          plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}}
        }
      });
    });
  }

  document.addEventListener("htmx:afterSettle", function (event) { draw(event.detail.elt); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
})();
