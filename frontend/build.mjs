// Bundles the front-end (htmx, our scripts and styles) into the Django static
// folder, so pages load everything from the app itself and never from a CDN.
// The network map is its own bundle (map.js + map.css): only pages that show
// a map load it.
import { build } from "esbuild";

await build({
  entryPoints: [
    { in: "frontend/src/app.js", out: "app" },
    { in: "frontend/src/app.css", out: "style" },
    { in: "frontend/src/map.js", out: "map" },
    { in: "frontend/src/map.css", out: "map" },
  ],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ["es2020"],
  outdir: "src/bridgework/static/bridgework/dist",
  logLevel: "info",
});
