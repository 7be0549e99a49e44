/* Draws every <canvas data-chart="id-of-json-script"> as a score trend with Chart.js. */
(function () {
  "use strict";
  function num(v) { return v === null || v === undefined ? null : Number(v); }
  function draw(canvas) {
    if (canvas.dataset.drawn || typeof Chart === "undefined") return;
    canvas.dataset.drawn = "1";
    var data = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    var names = data.names || {};
    var datasets = [
      { label: names.overall || "Overall", data: data.overall.map(num), borderWidth: 3, borderColor: "#1f2937" },
      { label: names.rolling || "Rolling 4-period average", data: data.rolling.map(num), borderWidth: 2,
        borderDash: [6, 4], borderColor: "#6b7280", pointRadius: 0 }
    ];
    var colours = ["#2f6fb3", "#5b3cc4", "#1a7f5a", "#b3541e", "#b7791f", "#b42318"];
    (canvas.dataset.perspectives === "off" ? [] : data.perspectives).forEach(function (p, i) {
      datasets.push({ label: p.name, data: p.values.map(num), borderWidth: 1,
                      borderColor: colours[i % colours.length] });
    });
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: { maintainAspectRatio: false, animation: false,
                 scales: { y: { min: 0, max: 100 } } }
    });
  }
  function init() { document.querySelectorAll("canvas[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
  document.addEventListener("htmx:afterSettle", init);
})();
