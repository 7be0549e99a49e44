// Kraljic matrix: supply risk (x) against profit impact (y), bubble area by spend.
(function () {
  var canvas = document.getElementById("kraljic-chart");
  var source = document.getElementById("kraljic-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var bubbles = JSON.parse(source.textContent);
  // The page's language: labels from #kraljic-labels (English when absent), numbers per locale.
  var labelSource = document.getElementById("kraljic-labels");
  var words = labelSource ? JSON.parse(labelSource.textContent) : {};
  function word(key, fallback) { return words[key] || fallback; }
  var locale = document.documentElement.lang || undefined;
  var colours = { strategic: "#5b3cc4", leverage: "#1a7f5a", bottleneck: "#b3541e", non_critical: "#6b7280" };
  var maxSpend = Math.max.apply(null, bubbles.map(function (b) { return b.spend; }).concat([1]));
  var quadrantLines = {
    id: "quadrantLines",
    afterDraw: function (chart) {
      var ctx = chart.ctx, x = chart.scales.x, y = chart.scales.y;
      ctx.save();
      ctx.strokeStyle = "#999"; ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x.getPixelForValue(3), y.top); ctx.lineTo(x.getPixelForValue(3), y.bottom);
      ctx.moveTo(x.left, y.getPixelForValue(3)); ctx.lineTo(x.right, y.getPixelForValue(3));
      ctx.stroke();
      ctx.setLineDash([]); ctx.fillStyle = "#777"; ctx.font = "12px sans-serif";
      ctx.fillText(word("leverage", "Leverage"), x.left + 6, y.top + 14);
      ctx.fillText(word("strategic", "Strategic"), x.getPixelForValue(3) + 6, y.top + 14);
      ctx.fillText(word("non_critical", "Non-critical"), x.left + 6, y.bottom - 6);
      ctx.fillText(word("bottleneck", "Bottleneck"), x.getPixelForValue(3) + 6, y.bottom - 6);
      ctx.restore();
    },
  };
  new Chart(canvas, {
    type: "bubble",
    data: {
      datasets: bubbles.map(function (b) {
        return {
          label: b.label,
          backgroundColor: (colours[b.quadrant] || "#888") + "aa",
          // Draw a partner scored 5 whole instead of cutting it at the chart's edge.
          clip: false,
          data: [{ x: b.x, y: b.y, r: 6 + 24 * Math.sqrt(b.spend / maxSpend), spend: b.spend, currency: b.currency, count: b.count }],
        };
      }),
    },
    options: {
      maintainAspectRatio: false,
      scales: {
        x: { min: 1, max: 5, title: { display: true, text: word("x", "Supply risk") } },
        y: { min: 1, max: 5, title: { display: true, text: word("y", "Profit impact") } },
      },
      plugins: {
        // A legend entry per bubble helps a small portfolio; a large one shows its cells by colour.
        legend: { display: bubbles.length <= 20, position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (item) {
              var d = item.raw;
              var mean = d.count > 1 ? " " + word("mean", "(mean)") : "";
              return item.dataset.label + ": " + word("impact", "impact") + " " + d.y.toLocaleString(locale) +
                ", " + word("risk", "risk") + " " + d.x.toLocaleString(locale) + mean + ", " + word("spend", "spend") + " " +
                Math.round(d.spend).toLocaleString(locale) + " " + d.currency;
            },
          },
        },
      },
    },
    plugins: [quadrantLines],
  });
})();
