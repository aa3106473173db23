// Bridgework's page script: htmx for partial updates plus small progressive
// enhancements. Every page still works without JavaScript.
import htmx from "htmx.org";

window.htmx = htmx;

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
  });
}

document.addEventListener("DOMContentLoaded", () => wireSelectFilters(document));
document.addEventListener("htmx:afterSwap", (event) => wireSelectFilters(event.target));
