// Network maps: every <div class="network-map" data-map-url="..."> on the page
// becomes an interactive map (docs/network-map.md). A separate bundle from
// app.js, so pages without a map never load it.
import { NetworkMap } from "./map/network-map.js";

// Each map is also a small handle for tests and debugging.
window.bridgeworkMaps = window.bridgeworkMaps || [];

function startMaps(root) {
  const elements = root.matches?.(".network-map[data-map-url]") ? [root] : [];
  elements.push(...root.querySelectorAll(".network-map[data-map-url]"));
  for (const element of elements) {
    if (element.bridgeworkMap) continue;
    element.bridgeworkMap = new NetworkMap(element);
    window.bridgeworkMaps.push(element.bridgeworkMap);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => startMaps(document));
} else {
  startMaps(document);
}
// Maps that htmx swaps into the page start too.
document.addEventListener("htmx:load", (event) => startMaps(event.detail.elt));
