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

  // Row buttons (add a step, remove a recipient): without this script they
  // post the form and the page comes back at the row, its first field
  // focused. Here the same answer replaces the form in place, so the page
  // stays where it was and the row's first field gets focus; files already
  // chosen stay chosen. Anything unexpected falls back to the plain post.
  if (!window.fetch || !window.FormData || !window.DOMParser) { return; }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-row-op]");
    if (!button || !button.form || event.defaultPrevented) { return; }
    var form = button.form;
    if (form.getAttribute("data-busy")) { event.preventDefault(); return; }
    event.preventDefault();
    form.setAttribute("data-busy", "1");
    var data = new FormData(form);
    data.delete("files"); // the chosen files stay in this page's file input
    data.set("op", button.value);
    var url = button.formAction.split("#")[0];
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (resp) {
        if (!resp.ok || resp.redirected) { throw new Error("unexpected answer " + resp.status); }
        return resp.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("form[action='" + form.getAttribute("action") + "']");
        if (!fresh) { throw new Error("the answer has no such form"); }
        var x = window.scrollX, y = window.scrollY;
        var files = form.querySelector("input[type=file]");
        fresh = document.adoptNode(fresh);
        if (files && files.files && files.files.length > 0) {
          var placeholder = fresh.querySelector("input[type=file]");
          if (placeholder) { placeholder.replaceWith(files); }
        }
        form.replaceWith(fresh);
        window.scrollTo(x, y);
        var target = fresh.querySelector("[autofocus]");
        if (!target) { return; }
        target.removeAttribute("autofocus");
        target.focus({ preventScroll: true });
        var row = target.closest(".row") || target;
        var box = row.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) {
          row.scrollIntoView({ block: "nearest" });
        }
      })
      .catch(function () {
        form.removeAttribute("data-busy");
        button.removeAttribute("data-row-op");
        if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
      });
  });
})();
