"""The network map component (frontend/src/map.js) in real headless Chromium.

Static pages, the built map bundle and generated map JSON are served from a
temporary folder by Python's http.server; the tests drive the controls like a
person and read the map's state through `window.bridgeworkMaps` (the debug
handle documented in docs/network-map.md) instead of comparing pixels.
"""

from __future__ import annotations

import functools
import http.server
import json
import random
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from csp.utils import build_policy

from bridgework.testsupport import CHROMIUM_FLAGS, require_chromium, require_component

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "src" / "bridgework" / "static" / "bridgework" / "dist"
MAP_SOURCES = [
    ROOT / "frontend" / "build.mjs",
    *(ROOT / "frontend" / "src").glob("map*"),
    *(ROOT / "frontend" / "src" / "map").glob("*.js"),
]

pytestmark = [pytest.mark.browser]


# ---- Generated map data (the JSON contract of docs/network-map.md) ----


def _distinct_pairs(rng: random.Random, n: int, m: int, community: list[int], inside: float):
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


def make_map(
    *, n: int, m: int, communities: int, teams: int, seed: int, nouns: bool = True
) -> dict:
    rng = random.Random(seed)
    community = [rng.randrange(communities) for _ in range(n)]
    # Team sizes differ (team k is picked with weight 1/(k+1)), so their colour ranks are clear.
    team = rng.choices(range(teams), weights=[1 / (k + 1) for k in range(teams)], k=n)
    centres = [(rng.uniform(-100, 100), rng.uniform(-100, 100)) for _ in range(communities)]
    pairs = _distinct_pairs(rng, n, m, community, inside=0.75)
    degree = [0] * n
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    data = {
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
    }
    if nouns:
        data["noun"] = ["person", "people"]
        data["edgeNoun"] = ["tie", "ties"]
    return data


def make_ego_map() -> dict:
    """A person (id 7), six colleagues and a few ties among the colleagues."""
    names = [
        "Ada Lovelace",
        "Grace Hopper",
        "Alan Turing",
        "Edsger Dijkstra",
        "Barbara Liskov",
        "Ken Thompson",
        "Frances Allen",
    ]
    return {
        "nodes": {
            "id": [str(7 + i) for i in range(len(names))],
            "label": names,
            "x": [0, 1, 0.5, -0.5, -1, -0.5, 0.5],
            "y": [0, 0, 0.87, 0.87, 0, -0.87, -0.87],
            "groups": {
                "team": ["Data", "Data", "Research", "Research", "Platform", "Platform", "Data"]
            },
            "metrics": {"degree": [6, 2, 3, 2, 1, 1, 1]},
        },
        "edges": {"source": [0, 0, 0, 0, 0, 0, 1, 2], "target": [1, 2, 3, 4, 5, 6, 2, 3]},
        "noun": ["person", "people"],
        "edgeNoun": ["tie", "ties"],
    }


def make_group_map() -> dict:
    """The leaders' view: one node per team, sized by headcount."""
    return {
        "nodes": {
            "id": ["team-1", "team-2", "team-3", "team-4"],
            "label": ["Data", "Research", "Platform", "Sales"],
            "x": [0, 10, 0, 10],
            "y": [0, 0, 10, 10],
            "groups": {"kind": ["team", "team", "team", "team"]},
            "metrics": {"headcount": [12, 30, 7, 51]},
        },
        "edges": {"source": [0, 0, 1, 2], "target": [1, 2, 3, 3], "weight": [40, 5, 12, 2]},
        "labels": {"groups": {"kind": "Kind"}, "metrics": {"headcount": "Headcount"}},
        "noun": ["group", "groups"],
    }


def neighbours(data: dict, index: int) -> set[int]:
    edges = data["edges"]
    return {
        b if a == index else a
        for a, b in zip(edges["source"], edges["target"], strict=True)
        if index in (a, b) and a != b
    }


# ---- Serving pages and driving Chromium ----


def _page_html(body: str) -> str:
    # No inline style or script: the pages are served with the app's CSP.
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Map fixture</title>'
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="page.css">'
        '<link rel="stylesheet" href="map.css">'
        '<script src="map.js" defer></script></head>'
        f"<body><main>{body}</main></body></html>"
    )


PAGE_CSS = "body{margin:0;padding:16px;font-family:sans-serif}main{max-width:1100px}"


def _bundle_is_stale() -> bool:
    bundle = DIST / "map.js"
    if not bundle.exists():
        return True
    built = bundle.stat().st_mtime
    return any(source.stat().st_mtime > built for source in MAP_SOURCES)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder served on 127.0.0.1 holding the map bundle; tests add pages and JSON."""
    if _bundle_is_stale() and shutil.which("npm"):
        subprocess.run(["npm", "run", "--silent", "build"], cwd=ROOT, check=True)
    require_component(
        (DIST / "map.js").exists() and (DIST / "map.css").exists(),
        "the map bundle: run `npm ci && npm run build` (make test does this)",
    )
    folder = tmp_path_factory.mktemp("map-site")
    for name in ("map.js", "map.css"):
        shutil.copy(DIST / name, folder / name)
    (folder / "page.css").write_text(PAGE_CSS)
    # The app's own Content-Security-Policy (settings.CONTENT_SECURITY_POLICY),
    # so the map is tested under the rules it lives with on the real pages.
    policy = build_policy()

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, format, *args):  # noqa: A002 - the base class names it so
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Site:
        path = folder
        url = f"http://127.0.0.1:{server.server_address[1]}"

        def add_json(self, name: str, data: dict) -> None:
            (folder / name).write_text(json.dumps(data, separators=(",", ":")))

        def add_page(self, name: str, body: str) -> str:
            (folder / name).write_text(_page_html(body))
            return f"{self.url}/{name}"

    try:
        yield Site()
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    chromium = require_chromium()
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, page_problems):
    """A fresh page; JavaScript errors, console errors and CSP violations fail the test."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    page_problems.watch(page)
    try:
        yield page
    finally:
        page.close()


# Resolves once the browser has painted what the script drew (two animation frames on).
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def wait_ready(page, index: int = 0) -> bool:
    """Wait until map `index` has loaded (or failed); its `ready` promise says which."""
    # Waited for with a function, not an expression: Playwright evaluates an
    # expression with eval, which the pages' CSP refuses.
    page.wait_for_function(f"() => window.bridgeworkMaps && window.bridgeworkMaps.length > {index}")
    return page.evaluate(f"window.bridgeworkMaps[{index}].ready")


def handle(page, expression: str, index: int = 0):
    return page.evaluate(f"(map => {expression})(window.bridgeworkMaps[{index}])")


ORG_MAP = '<div class="network-map" data-map-url="org.json" data-color-by="team" data-size-by="degree" data-label="Organization network map"></div>'


@pytest.fixture(scope="module")
def org(site):
    data = make_map(n=400, m=2950, communities=15, teams=10, seed=7)
    site.add_json("org.json", data)
    return data


# ---- The organization map ----


def test_org_map_loads_with_counts_legend_and_labelled_controls(site, org, page):
    page.goto(site.add_page("org.html", ORG_MAP))
    assert wait_ready(page) is True
    assert handle(page, "[map.nodeCount, map.edgeCount, map.colorBy, map.sizeBy, map.focused]") == [
        400,
        2950,
        "team",
        "degree",
        None,
    ]
    assert handle(page, "map.visibleNodeCount") == 400
    assert page.locator(".network-map__status").inner_text().startswith("400 people, 2,950 ties.")
    assert page.get_by_role("img", name="Organization network map").is_visible()
    # Every control has a label; the legend names the biggest team first.
    assert page.get_by_label("Color by").input_value() == "team"
    assert page.get_by_label("Size by").input_value() == "degree"
    assert page.get_by_label("Find").is_visible()
    assert page.get_by_role("button", name="Show everyone").is_visible()
    first_item = page.locator(".network-map__legend-items li").first.inner_text()
    teams = org["nodes"]["groups"]["team"]
    biggest = max(sorted(set(teams)), key=teams.count)
    assert first_item.startswith(biggest) and first_item.endswith(str(teams.count(biggest)))
    summary = page.locator(".network-map__sr").inner_text()
    assert "Network map of 400 people and 2,950 ties" in summary and "Color shows Team" in summary


def test_color_by_follows_the_chosen_category(site, org, page):
    page.goto(site.add_page("org.html", ORG_MAP))
    wait_ready(page)
    ids = org["nodes"]["id"]

    def colours_by(key: str) -> dict[str, set[str]]:
        colours = handle(page, f"{json.dumps(ids)}.map(id => map.colorOf(id))")
        by_value: dict[str, set[str]] = {}
        for value, colour in zip(org["nodes"]["groups"][key], colours, strict=True):
            by_value.setdefault(value, set()).add(colour)
        return by_value

    teams = colours_by("team")
    assert all(len(colours) == 1 for colours in teams.values()), "one colour per team"
    assert len(set().union(*teams.values())) == 10, "ten teams, ten different colours"

    page.get_by_label("Color by").select_option(label="Community")
    assert handle(page, "map.colorBy") == "community"
    communities = colours_by("community")
    assert all(len(colours) == 1 for colours in communities.values())
    # 15 communities: the 12 biggest get their own colour, the other 3 share "Other".
    assert len(set().union(*communities.values())) == 13
    assert "Other (3 categories)" in page.locator(".network-map__legend").inner_text()
    # Two people of the same team but different communities now differ.
    by_team: dict[str, list[int]] = {}
    for i, value in enumerate(org["nodes"]["groups"]["team"]):
        by_team.setdefault(value, []).append(i)
    community = org["nodes"]["groups"]["community"]
    members = by_team["Team 01"]
    a = members[0]
    b = next(i for i in members if communities[community[i]] != communities[community[a]])
    assert handle(page, f"map.colorOf('{ids[a]}') !== map.colorOf('{ids[b]}')")

    # Colours are stable: the same data gives the same colours after a reload.
    before = handle(page, f"{json.dumps(ids)}.map(id => map.colorOf(id))")
    page.reload()
    wait_ready(page)
    page.get_by_label("Color by").select_option("community")
    assert handle(page, f"{json.dumps(ids)}.map(id => map.colorOf(id))") == before


def test_size_by_grows_with_the_metric(site, org, page):
    page.goto(site.add_page("org.html", ORG_MAP))
    wait_ready(page)
    ids = org["nodes"]["id"]
    page.get_by_label("Size by").select_option(label="Betweenness")
    assert handle(page, "map.sizeBy") == "betweenness"
    radii = handle(page, f"{json.dumps(ids)}.map(id => map.radiusOf(id))")
    values = org["nodes"]["metrics"]["betweenness"]
    ordered = [r for _, r in sorted(zip(values, radii, strict=True))]
    assert ordered == sorted(ordered), "radius never shrinks as the metric grows"
    assert ordered[0] < ordered[-1] == 12, "the biggest value gets the largest radius"

    page.get_by_label("Size by").select_option(label="Same size")
    assert handle(page, "map.sizeBy") is None
    assert len(set(handle(page, f"{json.dumps(ids)}.map(id => map.radiusOf(id))"))) == 1


def test_search_focuses_a_person_and_show_everyone_resets(site, org, page):
    page.goto(site.add_page("org.html", ORG_MAP))
    wait_ready(page)
    index = max(range(400), key=lambda i: org["nodes"]["metrics"]["degree"][i])
    name, node_id = org["nodes"]["label"][index], org["nodes"]["id"][index]
    expected = 1 + len(neighbours(org, index))

    page.get_by_label("Find").fill(name)
    page.get_by_label("Find").press("Enter")
    assert handle(page, "map.focused") == node_id
    assert handle(page, "map.visibleNodeCount") == expected
    assert (
        f"Focused on {name} and {expected - 1} people linked to them."
        in page.get_by_role("status").inner_text()
    )

    page.get_by_role("button", name="Show everyone").click()
    assert handle(page, "[map.focused, map.visibleNodeCount]") == [None, 400]
    assert page.get_by_label("Find").input_value() == ""

    # A partial name focuses the first match; no match says so.
    page.get_by_label("Find").fill("person 0001")
    page.get_by_label("Find").press("Enter")
    assert handle(page, "map.focused") == org["nodes"]["id"][10]
    page.get_by_label("Find").fill("Nobody Atall")
    page.get_by_label("Find").press("Enter")
    assert "No person matches “Nobody Atall”." in page.get_by_role("status").inner_text()


def test_pointer_hover_click_and_double_click(site, org, page, page_problems):
    page.goto(site.add_page("org.html", ORG_MAP))
    wait_ready(page)
    # Zoom in on one person first so their node is not covered by others.
    index = 42
    node_id = org["nodes"]["id"][index]
    assert handle(page, f"map.focus('{node_id}')") is True
    position = handle(page, f"map.screenPositionOf('{node_id}')")
    page.mouse.move(position["x"], position["y"])
    tooltip = page.locator(".network-map__tooltip")
    tooltip.wait_for(state="visible")
    assert org["nodes"]["label"][index] in tooltip.inner_text()

    # Clicking the empty corner clears the focus; clicking the node brings it back.
    box = page.get_by_role("img", name="Organization network map").bounding_box()
    page.mouse.click(box["x"] + 3, box["y"] + 3)
    assert handle(page, "map.focused") is None
    page.wait_for_function(
        "() => window.bridgeworkMaps[0].idle"
    )  # the camera glides back to the whole map
    position = handle(page, f"map.screenPositionOf('{node_id}')")
    page.mouse.click(position["x"], position["y"])
    assert handle(page, "map.focused") == node_id

    # Keyboard: Escape on the focused canvas clears the focus.
    page.get_by_role("img", name="Organization network map").focus()
    page.keyboard.press("Escape")
    assert handle(page, "map.focused") is None

    # Double-click opens the person's page from the href template (which the
    # fixture site does not have: its 404 is expected, and so is the icon the
    # browser then asks the fixture site for).
    page_problems.expect(f"/people/{node_id}/")
    page_problems.expect("/favicon.ico")
    handle(page, f"map.focus('{node_id}')")
    position = handle(page, f"map.screenPositionOf('{node_id}')")
    with page.expect_navigation():
        page.mouse.dblclick(position["x"], position["y"])
    assert page.url == f"{site.url}/people/{node_id}/"


def test_wheel_zoom_and_drag_pan_move_the_camera(site, org, page):
    page.goto(site.add_page("org.html", ORG_MAP))
    wait_ready(page)
    node_id = org["nodes"]["id"][0]
    canvas = page.get_by_role("img", name="Organization network map").bounding_box()
    centre = (canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    before = handle(page, f"map.screenPositionOf('{node_id}')")
    scale = handle(page, "map.camera.scale")
    page.mouse.move(*centre)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"() => window.bridgeworkMaps[0].camera.scale > {scale}")
    zoomed = handle(page, f"map.screenPositionOf('{node_id}')")
    # Zooming in around the centre pushes every point away from it.
    assert abs(zoomed["x"] - centre[0]) > abs(before["x"] - centre[0]) * 1.5
    page.mouse.down()
    page.mouse.move(centre[0] + 100, centre[1] + 50, steps=5)
    page.mouse.up()
    panned = handle(page, f"map.screenPositionOf('{node_id}')")
    assert round(panned["x"] - zoomed["x"]) == 100 and round(panned["y"] - zoomed["y"]) == 50
    assert handle(page, "map.focused") is None, "a drag is not a click"


# ---- 10,000 nodes ----


def test_ten_thousand_nodes_stay_usable(site, page):
    """Focus and reset work on a large map (how fast: bench/map.py)."""
    data = make_map(n=10_000, m=50_000, communities=40, teams=60, seed=11)
    site.add_json("large.json", data)
    url = site.add_page(
        "large.html",
        '<div class="network-map" data-map-url="large.json" data-label="Large map"></div>',
    )
    page.goto(url)
    assert wait_ready(page) is True
    assert handle(page, "[map.nodeCount, map.edgeCount]") == [10_000, 50_000]

    index = 1234
    handle(page, f"map.focus('{data['nodes']['id'][index]}')")
    page.evaluate(NEXT_FRAME)
    assert handle(page, "map.visibleNodeCount") == 1 + len(neighbours(data, index))
    handle(page, "map.reset()")
    page.evaluate(NEXT_FRAME)
    assert handle(page, "map.visibleNodeCount") == 10_000


# ---- Errors and several maps ----


def test_a_map_that_cannot_load_says_why(site, page, page_problems):
    page_problems.expect("404 (File not found)")  # missing.json, on purpose
    site.add_json(
        "not-a-map.json", {"nodes": {"id": ["1", "2"], "x": [0, 1], "y": [0]}, "edges": {}}
    )
    (site.path / "truncated.json").write_text('{"nodes": {"id": [')
    url = site.add_page(
        "broken.html",
        '<div class="network-map" data-map-url="missing.json"></div>'
        '<div class="network-map" data-map-url="truncated.json"></div>'
        '<div class="network-map" data-map-url="not-a-map.json"></div>',
    )
    page.goto(url)
    assert [wait_ready(page, i) for i in range(3)] == [False, False, False]
    alerts = page.get_by_role("alert")
    assert alerts.all_inner_texts() == [
        "The map could not be loaded: the server answered 404 File not found.",
        "The map could not be loaded: the server's answer is not valid JSON.",
        'The map could not be loaded: "nodes.y" has 1 entries, expected 2.',
    ]


def test_three_maps_on_one_page_are_independent(site, org, page):
    site.add_json("ego.json", make_ego_map())
    site.add_json("groups.json", make_group_map())
    url = site.add_page(
        "three.html",
        ORG_MAP
        + '<div class="network-map network-map--small" data-map-url="ego.json" data-focus="7" data-label="Ada’s network"></div>'
        + '<div class="network-map" data-map-url="groups.json" data-size-by="headcount" data-label="Teams"></div>',
    )
    page.goto(url)
    assert [wait_ready(page, i) for i in range(3)] == [True, True, True]
    assert [
        handle(page, "[map.nodeCount, map.focused, map.visibleNodeCount]", i) for i in range(3)
    ] == [
        [400, None, 400],
        [7, "7", 7],
        [4, None, 4],
    ]
    org_map, ego_map, groups_map = (page.locator(".network-map").nth(i) for i in range(3))
    assert ego_map.locator(".network-map__stage").bounding_box()["height"] == pytest.approx(
        360, abs=1
    )

    # Focus and colour choices stay with their own map.
    org_map.get_by_label("Find").fill(org["nodes"]["label"][5])
    org_map.get_by_label("Find").press("Enter")
    org_map.get_by_label("Color by").select_option("engagement")
    assert handle(page, "[map.focused, map.colorBy]", 0) == [org["nodes"]["id"][5], "engagement"]
    assert handle(page, "[map.focused, map.colorBy, map.visibleNodeCount]", 1) == ["7", "team", 7]
    ego_map.get_by_role("button", name="Show everyone").click()
    assert handle(page, "map.focused", 1) is None
    assert handle(page, "map.focused", 0) == org["nodes"]["id"][5]

    # The group map: sized by headcount, in its own words.
    assert groups_map.get_by_role("status").inner_text().startswith("4 groups, 4 links.")
    radii = [handle(page, f"map.radiusOf('team-{k}')", 2) for k in (3, 1, 2, 4)]
    assert radii == sorted(radii) and radii[0] < radii[-1]
