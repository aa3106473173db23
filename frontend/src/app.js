// Bridgework's page script: htmx for partial updates plus small progressive
// enhancements. Every page still works without JavaScript.
import htmx from "htmx.org";

window.htmx = htmx;

// Keep to the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY): htmx
// would add a <style> element for its indicator (the rules are in app.css
// instead) and can evaluate hx-on / js: attributes, which no page uses.
htmx.config.includeIndicatorStyles = false;
htmx.config.allowEval = false;
htmx.config.allowScriptTags = false;

// Send Django's CSRF token with every htmx request.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

// Filter the options of a long <select multiple> by typing in a linked box.
function wireSelectFilters(root) {
  root.querySelectorAll("[data-filter-for]").forEach((input) => {
    const select = document.getElementById(input.dataset.filterFor);
    if (!select || input.dataset.wired) return;
    input.dataset.wired = "1";
    input.addEventListener("input", () => {
      const term = input.value.trim().toLowerCase();
      for (const option of select.options) {
        option.hidden = term !== "" && !option.selected && !option.text.toLowerCase().includes(term);
      }
    });
    // Enter in the filter box would submit the whole form; pick nothing instead.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
  });
}

// Ask before destructive submits: <form data-confirm="Delete this?">.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// A button that prints the page: <button type="button" data-print> (no inline onclick).
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});

// Select a read-only value (e.g. a new API token) when it gets focus, ready to copy.
document.addEventListener("focusin", (event) => {
  if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
});

// Tell assistive technology while a region is being refreshed.
document.addEventListener("htmx:beforeRequest", (event) => {
  const target = event.detail.target;
  if (target) target.setAttribute("aria-busy", "true");
});
document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.target;
  if (target) target.removeAttribute("aria-busy");
});
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  if (target) target.removeAttribute("aria-busy");
});

// A 429 (too many path or expertise look-ups this hour) carries a message for
// the reader: show it where the results go rather than keep the old ones silently.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 429) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// The account menu is a <details>: close it with Escape or a click elsewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
    menu.open = false;
    menu.querySelector("summary").focus();
  });
});
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});

document.addEventListener("DOMContentLoaded", () => wireSelectFilters(document));
document.addEventListener("htmx:afterSwap", (event) => wireSelectFilters(event.target));
