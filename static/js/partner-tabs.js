/* The partner page's tabs: an address ending in #governance (a tab) or #agreements (a
   section inside a tab) opens that tab, as ?tab=governance does on the server. */
(function () {
  "use strict";
  function openFromHash() {
    var name = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    if (!name) { return; }
    var links = document.querySelectorAll("#partner-tabs [data-tab]");
    var target = null;
    links.forEach(function (link) {
      var sections = (link.getAttribute("data-sections") || "").split(" ");
      if (link.getAttribute("data-tab") === name || sections.indexOf(name) >= 0) { target = link; }
    });
    if (target && target.getAttribute("aria-selected") !== "true") { target.click(); }
  }
  document.addEventListener("DOMContentLoaded", openFromHash);
  window.addEventListener("hashchange", openFromHash);
})();
