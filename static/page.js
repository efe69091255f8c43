// Small progressive enhancements for the server-rendered pages (each page works without them):
// - after a failed submit, the focus moves to the error summary, which links to the fields;
// - a form with data-confirm asks before it is sent (delete, stop); without JavaScript the server asks;
// - an input with data-browser-timezone (signup) gets the browser's time zone;
// - a form with data-unsaved warns before the page is left with edits not saved;
// - a file input with data-into="ID" reads the chosen text file into that text area (the CSV import);
// - forms with data-draft="NAME" keep their unsaved edits when another form of the page is submitted (each
//   form saves only its own fields; the page reloads after a submit, so the others' edits are kept in
//   sessionStorage for that reload and put back).
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

  const draftKey = (form) => `draft:${location.pathname}:${form.getAttribute("data-draft")}`;
  const drafts = document.querySelectorAll("form[data-draft]");
  drafts.forEach((form) => {
    const key = draftKey(form);
    const saved = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    if (saved) {
      const values = JSON.parse(saved);
      for (const el of form.elements) {
        if (!el.name || !(el.name in values) || el.type === "hidden") continue;
        if (el.type === "checkbox" || el.type === "radio") el.checked = values[el.name].includes(el.value);
        else el.value = values[el.name][0] ?? "";
      }
      form.setAttribute("data-restored", "");
    }
    form.addEventListener("input", () => form.setAttribute("data-edited", ""));
  });
  document.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return;
    drafts.forEach((form) => {
      if (form === event.target || !form.hasAttribute("data-edited")) return;
      const values = {};
      for (const el of form.elements) {
        if (!el.name || el.type === "hidden" || el.type === "submit") continue;
        values[el.name] ??= [];
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
        values[el.name].push(el.value);
      }
      sessionStorage.setItem(draftKey(form), JSON.stringify(values));
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
