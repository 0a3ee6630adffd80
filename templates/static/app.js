// Beslutsgång: small enhancements. Every page works without this file.
(function () {
  "use strict";
  // Bring the error summary into focus, so keyboard and screen reader users
  // start where the form needs them.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    // A link in the summary moves focus to its field, not only the view.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
})();
