"""Benchmark: the network map (dist/map.js) on 10,000 nodes and 50,000 links in headless Chromium.

Run::

    python bench/map.py                 # 10,000 nodes, 50,000 links, 5 runs
    python bench/map.py --repeat 9      # steadier medians on a busy machine

Needs the built bundle (``npm run build``: ``dist/map.js`` and ``dist/map.css``)
and Debian's Chromium (``/usr/bin/chromium``, or ``BRIDGEWORK_CHROMIUM``),
driven by Playwright's sync API with the flags of the browser tests
(``bridgework.testsupport.CHROMIUM_FLAGS``: headless, no GPU, no network
but localhost). No browser is downloaded.

1. Generates a map in the JSON contract of docs/network-map.md (seeded; the
   generator of tests/test_network_map.py, copied): ``--nodes`` (10,000)
   people in 40 communities placed as clusters, ``--links`` (50,000)
   distinct links, 75% of them inside a community, 60 teams of uneven size,
   two metrics. 1.6 MB of JSON, served with the bundle from a temporary
   folder by ``http.server`` on 127.0.0.1 in a thread.
2. **Ours**: a page with one ``<div class="network-map">`` (1280x900 window).
   *First frame*: ``performance.now()`` (milliseconds since navigation
   started) once the map's ``ready`` promise has resolved and two animation
   frames have passed, i.e. once the browser has painted the first picture.
   That covers fetching the bundle and the JSON, checking it, colours, sizes,
   the k-d tree, the controls and the drawing. Then *focus* (``map.focus(id)``
   on node 1234) and *reset* (``map.reset()``), each timed in the page until
   the next painted frame. Checks that the counts and the focused
   neighbourhood are right.
3. **Baseline**, in the same run and the same browser: a plain page that
   fetches the same JSON, parses it and draws it once on a 2D canvas of the
   size of our map's canvas: every link as a line in one path (0.6 px, as
   ours draws links on maps this big, so the rasterising costs the same), every
   node as a 3 px circle in one path, one colour; no checks, no controls.
   That is the least any renderer must do. Timed the same way (navigation to
   the frame after drawing); a second full drawing until the next frame is
   timed too, for comparison with reset (which redraws everything).
4. A warm-up load of each page first (not counted), then ``--repeat`` (5)
   runs, each one load of each page, alternating which goes first, each in a
   fresh browser context (its own HTTP cache). Medians are reported; the
   first-frame ratio rated is the median of the runs' own ratios (the two
   loads of a run are next to each other in time, so a burst of load mostly
   hits both).

Targets: the first frame within ``TARGET_RATIO`` (4) times the baseline's, and
focus and reset each under 2 s until the next frame (the bounds the browser
test used to assert; the old test also allowed 15 s to the first frame).
Measured on 2 cores, no GPU, Chromium 156, while other work kept the load
average at 1-7: ours 0.6-1.0 s to the first frame, the baseline 0.2-0.4 s.
Single runs' ratios scatter from 1.1 to 4.9 (a burst of load can hit one load
of a pair and not the other); the medians of 12 runs of the benchmark were
2.1-3.1, most of them 2.3-2.9. 4 leaves a quarter of headroom above the worst
median for a busier machine, and still fails a first frame about 70% slower
than today's (a typical median of 2.4 would cross 4). Most of ours' extra time
is script before the first picture (the ``of which`` line: 0.6-0.9 s against
the baseline's 0.13-0.25 s, fetching included). Focus took 35-95 ms and
reset 70-190 ms, ten times under the 2 s bound.

The load average is printed: on a busy machine compare the numbers of one run
with each other.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import random
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "src" / "bridgework" / "static" / "bridgework" / "dist"

TARGET_RATIO = 4.0
TARGET_FOCUS_MS = 2000.0
TARGET_RESET_MS = 2000.0
FOCUS_INDEX = 1234
VIEWPORT = {"width": 1280, "height": 900}

# Resolves once the browser has painted what the script drew (two animation frames on).
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


# -------------------------------------------------------------------- the map data
# A copy of tests/test_network_map.py's generator (benchmarks do not import tests).


def distinct_pairs(rng: random.Random, n: int, m: int, community: list[int], inside: float):
    """m distinct undirected pairs, a share `inside` of them within a community."""
    members: dict[int, list[int]] = {}
    for i, c in enumerate(community):
        members.setdefault(c, []).append(i)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a = rng.randrange(n)
        b = rng.choice(members[community[a]]) if rng.random() < inside else rng.randrange(n)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def make_map(*, n: int, m: int, communities: int, teams: int, seed: int) -> dict:
    """A map in the JSON contract of docs/network-map.md."""
    rng = random.Random(seed)
    community = [rng.randrange(communities) for _ in range(n)]
    team = rng.choices(range(teams), weights=[1 / (k + 1) for k in range(teams)], k=n)
    centres = [(rng.uniform(-100, 100), rng.uniform(-100, 100)) for _ in range(communities)]
    pairs = distinct_pairs(rng, n, m, community, inside=0.75)
    degree = [0] * n
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    return {
        "nodes": {
            "id": [str(1000 + i) for i in range(n)],
            "label": [f"Person {i:05d}" for i in range(n)],
            "x": [round(centres[c][0] + rng.gauss(0, 8), 4) for c in community],
            "y": [round(centres[c][1] + rng.gauss(0, 8), 4) for c in community],
            "groups": {
                "community": [f"C{c + 1}" for c in community],
                "team": [f"Team {t + 1:02d}" for t in team],
                "engagement": [
                    rng.choice(["employee", "contractor", "volunteer"]) for _ in range(n)
                ],
            },
            "metrics": {
                "degree": degree,
                "betweenness": [round(d * rng.uniform(0.5, 1.5) / (10 * n), 6) for d in degree],
            },
        },
        "edges": {
            "source": [a for a, _ in pairs],
            "target": [b for _, b in pairs],
            "weight": [round(rng.uniform(0.05, 1), 3) for _ in pairs],
        },
        "labels": {
            "groups": {"community": "Community", "team": "Team", "engagement": "Engagement type"},
            "metrics": {"degree": "Ties", "betweenness": "Betweenness"},
        },
        "href": "/people/{id}/",
        "noun": ["person", "people"],
        "edgeNoun": ["tie", "ties"],
    }


def neighbour_count(data: dict, index: int) -> int:
    edges = data["edges"]
    return len(
        {
            b if a == index else a
            for a, b in zip(edges["source"], edges["target"], strict=True)
            if index in (a, b) and a != b
        }
    )


# -------------------------------------------------------------------- the pages

PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}'
    "</head>"
    '<body style="margin:0;padding:16px;font-family:sans-serif"><main style="max-width:1100px">'
    "{body}</main><script>{script}</script></body></html>"
)

# Deferred map.js has run by DOMContentLoaded, so the map exists then.
OURS_SCRIPT = f"""
const nextFrame = {NEXT_FRAME};
window.benchFirstFrame = new Promise(resolve =>
  document.addEventListener("DOMContentLoaded", () => {{
    const map = (window.bridgeworkMaps || [])[0];
    resolve(map ? map.ready : false);
  }})
).then(async ok => {{
  window.benchDrawn = performance.now();
  await nextFrame();
  return ok ? performance.now() : null;
}});
"""

# The least a renderer must do: fetch, parse, fit to the canvas, one path of lines, one of circles.
BASELINE_SCRIPT = f"""
const nextFrame = {NEXT_FRAME};
function draw(data, canvas) {{
  const ctx = canvas.getContext("2d");
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.width / dpr, height = canvas.height / dpr;
  const {{ x, y }} = data.nodes, n = x.length;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {{
    minX = Math.min(minX, x[i]); maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]); maxY = Math.max(maxY, y[i]);
  }}
  const scale = 0.95 * Math.min(width / (maxX - minX || 1), height / (maxY - minY || 1));
  const sx = new Float32Array(n), sy = new Float32Array(n);
  for (let i = 0; i < n; i++) {{
    sx[i] = (x[i] - (minX + maxX) / 2) * scale + width / 2;
    sy[i] = ((minY + maxY) / 2 - y[i]) * scale + height / 2;
  }}
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const {{ source, target }} = data.edges;
  ctx.strokeStyle = "#444";
  ctx.globalAlpha = 0.1;
  ctx.lineWidth = 0.6;
  ctx.beginPath();
  for (let e = 0; e < source.length; e++) {{
    ctx.moveTo(sx[source[e]], sy[source[e]]);
    ctx.lineTo(sx[target[e]], sy[target[e]]);
  }}
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.fillStyle = "#0072b2";
  ctx.beginPath();
  for (let i = 0; i < n; i++) {{
    ctx.moveTo(sx[i] + 3, sy[i]);
    ctx.arc(sx[i], sy[i], 3, 0, Math.PI * 2);
  }}
  ctx.fill();
}}
const canvas = document.getElementById("baseline");
window.benchFirstFrame = (async () => {{
  window.benchData = await (await fetch("large.json")).json();
  draw(window.benchData, canvas);
  window.benchDrawn = performance.now();
  await nextFrame();
  return performance.now();
}})();
window.benchRedraw = async () => {{
  const started = performance.now();
  draw(window.benchData, canvas);
  await nextFrame();
  return performance.now() - started;
}};
"""


def ours_page() -> str:
    return PAGE.format(
        title="Network map benchmark",
        head='<link rel="stylesheet" href="map.css"><script src="map.js" defer></script>',
        body='<div class="network-map" data-map-url="large.json" data-label="Large map"></div>',
        script=OURS_SCRIPT,
    )


def baseline_page(width: float, height: float, dpr: float) -> str:
    canvas = (
        f'<canvas id="baseline" width="{round(width * dpr)}" height="{round(height * dpr)}" '
        f'style="display:block;width:{width}px;height:{height}px"></canvas>'
    )
    return PAGE.format(title="Baseline", head="", body=canvas, script=BASELINE_SCRIPT)


# -------------------------------------------------------------------- serving and measuring


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class names it so
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def new_page(browser, errors: list[str]):
    # browser.new_page opens a fresh context: its own HTTP cache, so no load reuses another's.
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(120_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def time_in_page(page, action: str) -> float:
    """Milliseconds from running `action` on the map to the next painted frame."""
    return page.evaluate(
        "async () => { const map = window.bridgeworkMaps[0]; const started = performance.now(); "
        f"{action}; await ({NEXT_FRAME})(); return performance.now() - started; }}"
    )


def measure_ours(browser, url: str, data: dict, errors: list[str]) -> dict:
    page = new_page(browser, errors)
    try:
        page.goto(url)
        first_frame = page.evaluate("window.benchFirstFrame")
        drawn = page.evaluate("window.benchDrawn")
        if first_frame is None:
            why = page.evaluate(
                "(window.bridgeworkMaps || [])[0]?.error ?? 'no map on the page (map.js not run?)'"
            )
            raise RuntimeError(f"the map did not load: {why}")
        counts = page.evaluate("(m => [m.nodeCount, m.edgeCount])(window.bridgeworkMaps[0])")
        node_id = data["nodes"]["id"][FOCUS_INDEX]
        focus = time_in_page(page, f"map.focus({json.dumps(node_id)})")
        focused = page.evaluate("window.bridgeworkMaps[0].visibleNodeCount")
        reset = time_in_page(page, "map.reset()")
        after_reset = page.evaluate("window.bridgeworkMaps[0].visibleNodeCount")
        canvas = page.evaluate(
            "(r => [r.width, r.height, r.dpr])(window.bridgeworkMaps[0].renderer)"
        )
    finally:
        page.close()
    n, m = len(data["nodes"]["id"]), len(data["edges"]["source"])
    checks = {
        "counts": counts == [n, m],
        "focus": focused == 1 + neighbour_count(data, FOCUS_INDEX),
        "reset": after_reset == n,
    }
    return {
        "first_frame": first_frame,
        "drawn": drawn,
        "focus": focus,
        "reset": reset,
        "canvas": canvas,
        "checks": checks,
    }


def measure_baseline(browser, url: str, errors: list[str]) -> dict:
    page = new_page(browser, errors)
    try:
        page.goto(url)
        first_frame = page.evaluate("window.benchFirstFrame")
        drawn = page.evaluate("window.benchDrawn")
        redraw = page.evaluate("window.benchRedraw()")
    finally:
        page.close()
    return {"first_frame": first_frame, "drawn": drawn, "redraw": redraw}


# -------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5, help="loads of each page (median)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--chromium", default=os.environ.get("BRIDGEWORK_CHROMIUM", "/usr/bin/chromium")
    )
    args = parser.parse_args(argv)

    missing = [name for name in ("map.js", "map.css") if not (DIST / name).exists()]
    if missing:
        print(
            f"{', '.join(missing)} missing in {DIST.relative_to(ROOT)}: run `npm run build` "
            "(after `npm ci`) first",
            file=sys.stderr,
        )
        return 2
    if not os.path.exists(args.chromium):
        print(
            f"no Chromium at {args.chromium}: install Debian's chromium package "
            "(or set BRIDGEWORK_CHROMIUM)",
            file=sys.stderr,
        )
        return 2
    from playwright import sync_api

    from bridgework.testsupport import CHROMIUM_FLAGS

    print(f"python {sys.version.split()[0]}; {load()}", flush=True)
    data = make_map(n=args.nodes, m=args.links, communities=40, teams=60, seed=args.seed)
    ok = True
    with tempfile.TemporaryDirectory(prefix="bridgework-map-") as folder_name:
        folder = Path(folder_name)
        for name in ("map.js", "map.css"):
            (folder / name).write_bytes((DIST / name).read_bytes())
        (folder / "large.json").write_text(json.dumps(data, separators=(",", ":")))
        (folder / "ours.html").write_text(ours_page())
        size_mb = (folder / "large.json").stat().st_size / 1e6
        print(
            f"map: {args.nodes:,} nodes, {args.links:,} links, {size_mb:.1f} MB of JSON; "
            f"bundle {(DIST / 'map.js').stat().st_size / 1000:.0f} KB",
            flush=True,
        )
        server = serve(folder)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        errors: list[str] = []
        try:
            with sync_api.sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=args.chromium, args=CHROMIUM_FLAGS
                )
                try:
                    print(f"Chromium {browser.version}, window 1280x900", flush=True)
                    warm = measure_ours(browser, f"{url}/ours.html", data, errors)
                    width, height, dpr = warm["canvas"]
                    (folder / "baseline.html").write_text(baseline_page(width, height, dpr))
                    warm_base = measure_baseline(browser, f"{url}/baseline.html", errors)
                    print(
                        f"warm-up (not counted): ours {warm['first_frame']:.0f} ms, baseline "
                        f"{warm_base['first_frame']:.0f} ms; canvas {width:g}x{height:g} CSS px "
                        f"at {dpr:g}x\n",
                        flush=True,
                    )
                    ours, base = [], []
                    for run in range(args.repeat):
                        order = ("ours", "baseline") if run % 2 == 0 else ("baseline", "ours")
                        for which in order:
                            if which == "ours":
                                ours.append(measure_ours(browser, f"{url}/ours.html", data, errors))
                            else:
                                base.append(
                                    measure_baseline(browser, f"{url}/baseline.html", errors)
                                )
                        print(
                            f"run {run + 1}: first frame ours {ours[-1]['first_frame']:>5.0f} ms, "
                            f"baseline {base[-1]['first_frame']:>4.0f} ms, ratio "
                            f"{ours[-1]['first_frame'] / base[-1]['first_frame']:.2f}; focus "
                            f"{ours[-1]['focus']:>3.0f} ms, reset {ours[-1]['reset']:>3.0f} ms, "
                            f"baseline redraw {base[-1]['redraw']:>3.0f} ms; {load()}",
                            flush=True,
                        )
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()

    def median(rows: list[dict], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    first, base_first = median(ours, "first_frame"), median(base, "first_frame")
    drawn, base_drawn = median(ours, "drawn"), median(base, "drawn")
    focus, reset = median(ours, "focus"), median(ours, "reset")
    redraw = median(base, "redraw")
    # Each run's two loads are next to each other in time, so a burst of load
    # mostly hits both: the median of the runs' ratios is steadier than a ratio of medians.
    ratio = statistics.median(
        mine["first_frame"] / theirs["first_frame"] for mine, theirs in zip(ours, base, strict=True)
    )
    print(f"\nmedians of {args.repeat} runs:")
    print(f"{'':40}{'ours ms':>9}{'baseline ms':>13}{'ratio':>8}")
    print(
        f"{'navigation to first painted frame':40}{first:>9.0f}{base_first:>13.0f}"
        f"{first / base_first:>8.2f}"
    )
    print(
        f"{'  of which: until the script has drawn':40}{drawn:>9.0f}{base_drawn:>13.0f}"
        f"{drawn / base_drawn:>8.2f}"
    )
    print(f"{'focus a node, to the next frame':40}{focus:>9.0f}{'-':>13}{'-':>8}")
    print(
        f"{'reset (full redraw), to the next frame':40}{reset:>9.0f}{redraw:>13.0f}"
        f"{reset / redraw:>8.2f}"
    )
    print(
        "(baseline redraw: the baseline draws everything once more, to the next frame; "
        f"the first-frame ratio rated is the median of the runs' ratios: {ratio:.2f})"
    )

    checks = {name: all(run["checks"][name] for run in ours + [warm]) for name in warm["checks"]}
    print(
        "checks: "
        + ", ".join(f"{name} {'ok' if passed else 'WRONG'}" for name, passed in checks.items())
    )
    if errors:
        print(f"JavaScript errors on the pages: {errors}")
    ok = all(checks.values()) and not errors
    verdicts = [
        ("FIRST FRAME RATIO", f"{ratio:.2f}", ratio <= TARGET_RATIO, f"<= {TARGET_RATIO:g}"),
        ("FOCUS", f"{focus:.0f} ms", focus < TARGET_FOCUS_MS, f"< {TARGET_FOCUS_MS:.0f} ms"),
        ("RESET", f"{reset:.0f} ms", reset < TARGET_RESET_MS, f"< {TARGET_RESET_MS:.0f} ms"),
    ]
    for label, value, passed, target in verdicts:
        print(f"{label} {value} (target {target}): {'PASS' if passed else 'FAIL'}")
        ok = ok and passed
    print(load())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
