/* Small behaviours every page may use, wired from data attributes (the CSP allows no inline
   event handlers): <select data-submit-on-change> submits its form when changed. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });
  // Top-bar menus and the search dropdown close on a click elsewhere or on Escape.
  function closeMenus(except) {
    document.querySelectorAll(".site-header details[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    closeMenus(target ? target.closest(".site-header details") : null);
    var results = document.getElementById("top-search-results");
    if (results && target && !target.closest(".top-search")) { results.innerHTML = ""; }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    closeMenus(null);
    var results = document.getElementById("top-search-results");
    if (results) { results.innerHTML = ""; }
  });
})();
