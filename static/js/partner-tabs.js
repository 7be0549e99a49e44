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
  /* Links to the record's forms (/partners/<id>/edit/ and the like, in the record's actions
     and in the open tab) carry the open tab as ?tab=, so saving the form returns to that
     tab instead of the overview (partners.return_to). */
  function carryTab() {
    var active = document.querySelector('#partner-tabs [role="tab"][aria-selected="true"]');
    if (!active) { return; }
    var page = new URL(active.getAttribute("href"), window.location.href).pathname;
    var tab = active.getAttribute("data-tab");
    document.querySelectorAll("#record-actions a[href], #partner-tab-panel a[href]").forEach(function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      if (url.origin !== window.location.origin || url.pathname === page ||
          url.pathname.indexOf(page) !== 0 || url.pathname.indexOf(page + "tabs/") === 0) { return; }
      url.searchParams.set("tab", tab);
      link.setAttribute("href", url.pathname + url.search + url.hash);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { carryTab(); openFromHash(); });
  window.addEventListener("hashchange", openFromHash);
  document.addEventListener("htmx:afterSettle", carryTab);
})();
