/* The executive dashboard's score distributions: one horizontal stacked bar per group (an
   engagement model, a quadrant, a category, a sponsor), a segment per rating band, drawn as
   SVG from the JSON the server put in <script type="application/json"> (json_script).

   Under the Content-Security-Policy: no inline script or style; colours are SVG presentation
   attributes. The table under each chart carries the same figures for screen readers, print
   and pages without JavaScript; once the chart is drawn, a button shows or hides it. A bar of
   a group the dashboard can filter by opens the dashboard filtered to it (the table's links
   and the filter form do the same for the keyboard). Runs again after an HTMX swap. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = {
    excellent: "#1a7f5a",
    good: "#7cc49a",
    needs_improvement: "#f0b429",
    critical: "#c2410c",
    unscored: "#d0d5dd"
  };
  var TEXT_ON = { excellent: "#ffffff", critical: "#ffffff" };
  var WIDTH = 480, LABEL = 132, RIGHT = 86, ROW = 22, GAP = 8;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function lang() { return document.documentElement.lang || "en"; }

  function oneDecimal(value) {
    return Number(value).toLocaleString(lang(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  function shorten(text, max) { return text.length > max ? text.slice(0, max - 1) + "…" : text; }

  // The legend, wrapped onto as many lines as the labels need; returns its height.
  function legend(svg, bands) {
    var x = 0, y = 4;
    bands.forEach(function (band) {
      var width = 24 + band.label.length * 6.2;
      if (x > 0 && x + width > WIDTH) { x = 0; y += 16; }
      svg.appendChild(el("rect", { x: x, y: y, width: 10, height: 10, fill: COLOURS[band.key] || "#888", stroke: "#667085", "stroke-width": 0.5 }));
      svg.appendChild(el("text", { x: x + 14, y: y + 9, "font-size": 10, fill: "#344054" }, band.label));
      x += width;
    });
    return y + 22;
  }

  function draw(figure) {
    var holder = figure.querySelector(".distribution-chart");
    var source = document.getElementById(figure.getAttribute("data-distribution"));
    if (!holder || !source || figure.getAttribute("data-drawn") === "1") return;
    var data = JSON.parse(source.textContent);
    if (!data.groups.length) return;
    figure.setAttribute("data-drawn", "1");
    var max = Math.max.apply(null, data.groups.map(function (g) { return g.total; }).concat([1]));
    var plot = WIDTH - LABEL - RIGHT;
    var averageWord = holder.getAttribute("data-average-label") || "average";
    var svg = el("svg", { width: "100%", class: "distribution-svg", focusable: "false" });
    var top = legend(svg, data.bands);
    svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + (top + data.groups.length * (ROW + GAP)));
    data.groups.forEach(function (group, row) {
      var y = top + row * (ROW + GAP);
      var g = el("g", { class: "distribution-row", "data-group": group.key });
      var average = group.average === null ? "" : " · " + averageWord + " " + oneDecimal(group.average);
      g.appendChild(el("title", {}, group.label + ": " + group.total + average));
      g.appendChild(el("text", { x: LABEL - 6, y: y + ROW / 2 + 4, "text-anchor": "end", "font-size": 11, fill: "#101828" }, shorten(group.label, 22)));
      var x = LABEL;
      group.counts.forEach(function (count, index) {
        if (!count) return;
        var band = data.bands[index];
        var width = plot * count / max;
        var segment = el("rect", { x: x.toFixed(1), y: y, width: width.toFixed(1), height: ROW, fill: COLOURS[band.key] || "#888", "data-band": band.key });
        segment.appendChild(el("title", {}, group.label + " · " + band.label + ": " + count));
        g.appendChild(segment);
        if (width >= 16) {
          g.appendChild(el("text", { x: (x + width / 2).toFixed(1), y: y + ROW / 2 + 4, "text-anchor": "middle", "font-size": 10, fill: TEXT_ON[band.key] || "#101828" }, String(count)));
        }
        x += width;
      });
      var summary = String(group.total);
      if (group.average !== null) summary += " · ⌀ " + oneDecimal(group.average);
      g.appendChild(el("text", { x: x + 6, y: y + ROW / 2 + 4, "font-size": 10, fill: "#344054", "class": "distribution-total" }, summary));
      if (group.href) {
        g.setAttribute("class", "distribution-row is-link");
        g.addEventListener("click", function () { window.location.assign(group.href); });
      }
      svg.appendChild(g);
    });
    holder.appendChild(svg);
    var table = figure.querySelector(".distribution-table");
    if (table) {
      table.hidden = true;
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "secondary outline small distribution-toggle";
      toggle.setAttribute("aria-expanded", "false");
      toggle.textContent = figure.getAttribute("data-show-label") || "Show the figures";
      toggle.addEventListener("click", function () {
        table.hidden = !table.hidden;
        toggle.setAttribute("aria-expanded", table.hidden ? "false" : "true");
        toggle.textContent = table.hidden ? figure.getAttribute("data-show-label") : figure.getAttribute("data-hide-label");
      });
      table.parentNode.insertBefore(toggle, table);
    }
  }

  function init() { document.querySelectorAll("figure[data-distribution]").forEach(draw); }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
  document.addEventListener("htmx:afterSettle", init);
  // htmx gives a new element the old attributes of the element with the same id until it
  // settles; Chart.js sizes the Kraljic canvas with a style attribute, which the CSP would
  // refuse on the new canvas. So the old chart goes, style and all, before the swap.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "dashboard-body") return;
    target.querySelectorAll("canvas").forEach(function (canvas) {
      var chart = typeof Chart !== "undefined" && Chart.getChart ? Chart.getChart(canvas) : null;
      if (chart) chart.destroy();
      canvas.removeAttribute("style");
    });
  });
})();
