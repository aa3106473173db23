// Bundles the front-end (htmx, our scripts and styles) into the Django static
// folder, so pages load everything from the app itself and never from a CDN.
import { build } from "esbuild";

await build({
  entryPoints: {
    app: "frontend/src/app.js",
    style: "frontend/src/app.css",
  },
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ["es2020"],
  outdir: "src/bridgework/static/bridgework/dist",
  logLevel: "info",
});
