/* Cumulative value against investment, and relationship-health history, with Chart.js. */
(function () {
  "use strict";
  function num(v) { return v === null || v === undefined ? null : Number(v); }
  function data(canvas, key) {
    return JSON.parse(document.getElementById(canvas.dataset[key]).textContent);
  }
  // Legend words come with the data (in the page's language) where the server sends them.
  function name(d, key, fallback) { return (d.names && d.names[key]) || fallback; }
  function drawValue(canvas) {
    if (canvas.dataset.drawn || typeof Chart === "undefined") return;
    canvas.dataset.drawn = "1";
    var d = data(canvas, "valueChart");
    new Chart(canvas, {
      type: "line",
      data: { labels: d.labels, datasets: [
        { label: name(d, "value", "Cumulative value"), data: d.value.map(num), borderWidth: 3, borderColor: "#1a7f5a" },
        { label: name(d, "invested", "Cumulative investment"), data: d.invested.map(num), borderWidth: 2, borderColor: "#b42318" }
      ] },
      options: { maintainAspectRatio: false, animation: false }
    });
  }
  function drawSurvey(canvas) {
    if (canvas.dataset.drawn || typeof Chart === "undefined") return;
    canvas.dataset.drawn = "1";
    var d = data(canvas, "surveyChart");
    new Chart(canvas, {
      type: "line",
      data: { labels: d.labels, datasets: [
        { label: name(d, "buyer", "We rate them"), data: d.buyer.map(num), borderWidth: 2, borderColor: "#2f6fb3" },
        { label: name(d, "supplier", "They rate us"), data: d.supplier.map(num), borderWidth: 2, borderColor: "#b3541e" },
        { label: name(d, "index", "Health index"), data: d.index.map(num), borderWidth: 3, borderColor: "#1f2937" }
      ] },
      options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100 } } }
    });
  }
  function init() {
    document.querySelectorAll("canvas[data-value-chart]").forEach(drawValue);
    document.querySelectorAll("canvas[data-survey-chart]").forEach(drawSurvey);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
  document.addEventListener("htmx:afterSettle", init);
})();
