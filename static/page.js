// Small progressive enhancements for the server-rendered pages (each page works without them):
// - after a failed submit, the focus moves to the error summary, which links to the fields;
// - a form with data-confirm asks before it is sent (delete, stop); without JavaScript the server asks;
// - an input with data-browser-timezone (signup) gets the browser's time zone;
// - a form with data-unsaved warns before the page is left with edits not saved;
// - a file input with data-into="ID" reads the chosen text file into that text area (the CSV import).
(() => {
  "use strict";
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const message = form && form.getAttribute && form.getAttribute("data-confirm");
    if (!message) return;
    if (!globalThis.confirm(message)) {
      event.preventDefault();
      return;
    }
    // asked here already: the server need not ask again
    if (!form.querySelector("input[name=confirm]")) {
      const yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirm";
      yes.value = "yes";
      form.appendChild(yes);
    }
  }, true);

  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (_) {
    zone = "";
  }
  document.querySelectorAll("input[data-browser-timezone]").forEach((input) => {
    if (zone && !input.value) input.value = zone;
  });

  document.querySelectorAll("form[data-unsaved]").forEach((form) => {
    let dirty = false;
    form.addEventListener("input", () => {
      dirty = true;
    });
    form.addEventListener("submit", () => {
      dirty = false;
    });
    globalThis.addEventListener("beforeunload", (event) => {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });

  document.querySelectorAll("input[type=file][data-into]").forEach((input) => {
    input.addEventListener("change", () => {
      const target = document.getElementById(input.getAttribute("data-into"));
      const file = input.files && input.files[0];
      if (!target || !file) return;
      file.text().then((text) => {
        target.value = text;
      });
    });
  });
})();
