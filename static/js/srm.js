/* Small behaviours every page may use, wired from data attributes (the CSP allows no inline
   event handlers):
   - <select data-submit-on-change> submits its form when changed;
   - <form data-confirm="Question?"> asks before submitting (irreversible actions); with
     data-confirm-field="to_stage" data-confirm-value="exited" it asks only for that choice;
   - <form data-busy> (and every confirmed form) shows progress: its button is disabled and
     busy until the answer arrives, so a slow action is not sent twice;
   - <form data-unsaved-warning="Message"> tracks typed values: leaving the page with values not
     yet submitted asks first (beforeunload), and a <form data-check-unsaved="<id>"> elsewhere
     on the page (e.g. "Close the period") asks before it submits. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });

  function confirmMessage(form) {
    var message = form.getAttribute("data-confirm");
    if (!message) return null;
    var fieldName = form.getAttribute("data-confirm-field");
    if (fieldName) {
      var field = form.elements.namedItem(fieldName);
      if (!field || field.value !== form.getAttribute("data-confirm-value")) return null;
    }
    return message;
  }

  function isDirty(form) {
    return form instanceof HTMLFormElement && form.getAttribute("data-dirty") === "1";
  }

  function showBusy(form, submitter) {
    var button = submitter || form.querySelector("button[type=submit], button:not([type])");
    if (!button) return;
    // After this tick, so the button's own name and value are still sent.
    window.setTimeout(function () {
      button.setAttribute("aria-busy", "true");
      button.setAttribute("data-was-busy", "1");
      button.disabled = true;
    }, 0);
  }

  // Capture phase: runs before htmx's own submit handler, so a declined question stops both
  // a plain submit and an hx-post.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var guarded = form.getAttribute("data-check-unsaved");
    var other = guarded ? document.getElementById(guarded) : null;
    if (other && isDirty(other)) {
      if (!window.confirm(other.getAttribute("data-unsaved-warning"))) {
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      other.setAttribute("data-dirty", "0"); // the user chose to drop them
    }
    var message = confirmMessage(form);
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (form.hasAttribute("data-unsaved-warning")) form.setAttribute("data-dirty", "0");
    if (message || form.hasAttribute("data-busy")) showBusy(form, event.submitter);
  }, true);

  document.addEventListener("input", function (event) {
    var field = event.target;
    var form = field && field.form;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-unsaved-warning")) {
      form.setAttribute("data-dirty", "1");
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-unsaved-warning][data-dirty='1']")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Back to a page from the browser cache: its buttons are not busy any more.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-was-busy]").forEach(function (button) {
      button.removeAttribute("aria-busy");
      button.removeAttribute("data-was-busy");
      button.disabled = false;
    });
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
