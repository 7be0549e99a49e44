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
})();
