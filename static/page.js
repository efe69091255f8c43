// Small progressive enhancements for the server-rendered pages (each page works without them):
// - after a failed submit, the focus moves to the error summary, which links to the fields;
// - a form with data-confirm asks before it is sent (delete, stop); without JavaScript the server asks;
// - a form with a hidden input name="timezone" (signup, settings) gets the browser's time zone;
// - a form with data-unsaved warns before the page is left with edits not saved.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute("data-confirm");
    if (!message) return;
    if (!window.confirm(message)) return event.preventDefault();
    // asked here already: the server need not ask again
    if (!form.querySelector("input[name=confirm]")) {
      var yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirm";
      yes.value = "yes";
      form.appendChild(yes);
    }
  }, true);

  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (_) {
    zone = "";
  }
  document.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
    if (zone && !input.value) input.value = zone;
  });

  document.querySelectorAll("form[data-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () {
      dirty = true;
    });
    form.addEventListener("submit", function () {
      dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });
})();
// A file input with data-into="ID" reads the chosen text file into that text area (the CSV import).
document.querySelectorAll("input[type=file][data-into]").forEach(function (input) {
  input.addEventListener("change", function () {
    var target = document.getElementById(input.getAttribute("data-into"));
    var file = input.files && input.files[0];
    if (!target || !file) return;
    file.text().then(function (text) {
      target.value = text;
    });
  });
});
