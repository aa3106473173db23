// One interactive network map: loads the JSON named by the element's
// data-map-url, builds its controls, and handles pan, zoom, hover, search and
// ego focus. The instance is also the debug handle in window.bridgeworkMaps
// (docs/network-map.md lists what tests may rely on).
import KDBush from "kdbush";

import { fetchMapData, MapDataError } from "./data.js";
import { DIMMED_RADIUS, MapRenderer, screenToWorld, worldToScreen } from "./renderer.js";
import { COLORS, OTHER_COLOR, radii, radiusRange, rankCategories } from "./scales.js";

const ZOOM_STEP = 1.5;
const REST_MS = 140; // the camera counts as resting this long after the last move
const ANIMATION_MS = 350;
const CLICK_SLOP_PX = 4;
const HIT_SLOP_PX = 4;
const numbers = new Intl.NumberFormat("en");
let mapsCreated = 0;

function make(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") element.className = value;
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children);
  return element;
}

function count(n, [singular, plural]) {
  return `${numbers.format(n)} ${n === 1 ? singular : plural}`;
}

function formatMetric(value) {
  if (Number.isNaN(value)) return "–";
  if (Number.isInteger(value)) return numbers.format(value);
  return Math.abs(value) >= 100 ? numbers.format(Math.round(value)) : value.toPrecision(3);
}

// Colours and the label font come from map.css custom properties, which in
// turn use app.css's palette, so the map follows the site's theme.
function readTheme(element) {
  const style = getComputedStyle(element);
  const value = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    edge: value("--map-edge", "#3d4a57"),
    edgeFocus: value("--map-edge-focus", "#1c2733"),
    dimmedNode: value("--map-node-dimmed", "#dfe4e8"),
    dimmedEdgeAlpha: 0.05,
    nodeOutline: value("--map-node-outline", "rgba(28, 39, 51, 0.45)"),
    singleColor: value("--map-node", "#0e5f6e"),
    label: value("--map-label", "#1c2733"),
    labelHalo: value("--map-label-halo", "#ffffff"),
    focusRing: value("--map-focus-ring", "#e8893a"),
    hoverRing: value("--map-hover-ring", "#1c2733"),
    font: `12px ${style.fontFamily || "sans-serif"}`,
  };
}

// Group the nodes by colour so each colour is one canvas path.
function bucketsByColor(colorIndex, colorCount, keep) {
  const sizes = new Int32Array(colorCount);
  for (let i = 0; i < colorIndex.length; i++) if (!keep || keep[i]) sizes[colorIndex[i]]++;
  const buckets = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(colorCount);
  for (let i = 0; i < colorIndex.length; i++) {
    if (!keep || keep[i]) buckets[colorIndex[i]][filled[colorIndex[i]]++] = i;
  }
  return buckets;
}

// Links in up to four batches by weight. Heavier links are wider on small
// maps; on big ones they are darker instead, because lines wider than a pixel
// cost several times as much to draw without a GPU (docs/network-map.md).
function linkLevels(data) {
  const all = Int32Array.from({ length: data.m }, (_, e) => e);
  const alpha = data.m > 20000 ? 0.1 : data.m > 3000 ? 0.18 : data.m > 300 ? 0.3 : 0.45;
  const small = data.m <= 1000;
  const width = small ? 1.2 : data.m > 10000 ? 0.6 : 0.8;
  let heaviest = 0;
  if (data.weight) for (const w of data.weight) heaviest = Math.max(heaviest, w);
  if (!heaviest) return [{ width, alpha, edges: all }];
  const levelOf = (e) => Math.min(3, Math.floor((4 * data.weight[e]) / heaviest));
  const levels = [0, 1, 2, 3].map((level) => ({
    width: small ? width * [1, 1.6, 2.4, 3.2][level] : width,
    alpha: small ? alpha : Math.min(1, alpha * [0.5, 0.8, 1.1, 1.5][level]),
    edges: all.filter((e) => levelOf(e) === level),
  }));
  return levels.filter((level) => level.edges.length);
}

export class NetworkMap {
  constructor(element) {
    this.element = element;
    this.uid = `network-map-${++mapsCreated}`;
    this.data = null;
    this.error = null;
    this.loaded = false;
    this.colorKey = null;
    this.sizeKey = null;
    this.focusIndex = -1;
    this.hoverIndex = -1;
    this.ego = null;
    this.egoEdges = null;
    this.egoBuckets = null;
    this.dimmed = null;
    this.egoSize = 0;
    this.camera = { x: 0, y: 0, scale: 1 };
    this.fitScale = 1;
    this.cameraMoved = false;
    this.moving = false;
    this.animating = false;
    this.restTimer = 0;
    this.frameRequested = false;
    this.pointers = new Map();
    this.gesture = null;
    this.ready = this.load();
  }

  // ---- The debug handle (window.bridgeworkMaps) ----

  get nodeCount() {
    return this.data ? this.data.n : 0;
  }

  get edgeCount() {
    return this.data ? this.data.m : 0;
  }

  get colorBy() {
    return this.colorKey;
  }

  get sizeBy() {
    return this.sizeKey;
  }

  get focused() {
    return this.focusIndex >= 0 ? this.data.id[this.focusIndex] : null;
  }

  get visibleNodeCount() {
    return this.focusIndex >= 0 ? this.egoSize : this.nodeCount;
  }

  get lastRenderMs() {
    return this.renderer ? this.renderer.lastSceneMs : 0;
  }

  /** True when the camera rests (no animation, drag or zoom in progress). */
  get idle() {
    return !this.animating && !this.moving;
  }

  /** Time from the last full drawing to the next frame: what the browser really spent on it. */
  get lastFrameMs() {
    return this.renderer ? this.renderer.frameMs : 0;
  }

  get renderCount() {
    return this.renderer ? this.renderer.sceneCount : 0;
  }

  colorOf(id) {
    const i = this.indexOf(id);
    return i < 0 ? null : this.colors[this.colorIndex[i]];
  }

  radiusOf(id) {
    const i = this.indexOf(id);
    return i < 0 ? null : this.radius[i];
  }

  /** Where node `id` is drawn, in client (viewport) coordinates. */
  screenPositionOf(id) {
    const i = this.indexOf(id);
    if (i < 0) return null;
    const [x, y] = this.toScreen(i);
    const box = this.overlay.getBoundingClientRect();
    return { x: box.left + x, y: box.top + y };
  }

  /** Focus node `id` and its neighbours; false when there is no such node. */
  focus(id, { animate = false } = {}) {
    const i = this.indexOf(id);
    if (i < 0 || !this.renderer) return false;
    this.setFocus(i, { animate });
    return true;
  }

  /** Clear the focus and show the whole map. */
  reset() {
    if (!this.renderer) return;
    this.setFocus(-1);
  }

  /** Color by the category `key` of nodes.groups; false when there is no such key. */
  setColorBy(key) {
    const group = this.renderer && this.data.groups.find((g) => g.key === key);
    if (!group) return false;
    this.applyColors(group);
    return true;
  }

  /** Size by the metric `key` of nodes.metrics, or all the same size for null or ""; false when there is no such key. */
  setSizeBy(key) {
    if (!this.renderer) return false;
    const metric = key ? this.data.metrics.find((m) => m.key === key) : null;
    if (key && !metric) return false;
    this.applySizes(metric);
    return true;
  }

  indexOf(id) {
    if (!this.data) return -1;
    const i = this.data.indexById.get(String(id));
    return i === undefined ? -1 : i;
  }

  // ---- Loading ----

  async load() {
    const { element } = this;
    element.classList.add("network-map--loading");
    element.setAttribute("aria-busy", "true");
    element.replaceChildren(make("p", { className: "network-map__message" }, "Loading the map…"));
    try {
      const url = element.dataset.mapUrl;
      if (!url) throw new MapDataError("the page gives no data-map-url");
      const data = await fetchMapData(url);
      this.setup(data);
      this.loaded = true;
      return true;
    } catch (error) {
      this.error = error.message || String(error);
      if (!(error instanceof MapDataError)) console.error(error);
      element.classList.add("network-map--error");
      element.replaceChildren(
        make(
          "p",
          { className: "network-map__message network-map__message--error", role: "alert" },
          `The map could not be loaded: ${this.error}.`,
        ),
      );
      return false;
    } finally {
      element.classList.remove("network-map--loading");
      element.removeAttribute("aria-busy");
    }
  }

  setup(data) {
    this.data = data;
    if (data.n === 0) {
      this.element.replaceChildren(
        make(
          "p",
          { className: "network-map__message" },
          `There are no ${data.nouns.node[1]} on this map yet.`,
        ),
      );
      return;
    }
    this.theme = readTheme(this.element);
    this.buildDom();
    this.renderer = new MapRenderer(this.sceneCanvas, this.overlay, this.theme);
    this.index = new KDBush(data.n);
    for (let i = 0; i < data.n; i++) this.index.add(data.x[i], data.y[i]);
    this.index.finish();
    this.edgeLevels = linkLevels(data);
    this.radiusRange = radiusRange(data.n);

    const { colorBy, sizeBy, focus } = this.element.dataset;
    const group = data.groups.find((g) => g.key === colorBy) || data.groups[0] || null;
    this.applyColors(group, { render: false });
    const metric =
      sizeBy === "" ? null : data.metrics.find((m) => m.key === sizeBy) || data.metrics[0] || null;
    this.applySizes(metric, { render: false });
    this.updateStatus();
    this.wireEvents();
    this.resize();
    if (focus) this.focus(focus);
    this.render();
    new ResizeObserver(() => this.resize()).observe(this.stage);
  }

  buildDom() {
    const { data, uid } = this;
    const label = this.element.dataset.label || "Network map";
    this.colorSelect = make("select", { id: `${uid}-color` });
    for (const group of data.groups) this.colorSelect.append(new Option(group.name, group.key));
    this.sizeSelect = make("select", { id: `${uid}-size` });
    for (const metric of data.metrics) this.sizeSelect.append(new Option(metric.name, metric.key));
    this.sizeSelect.append(new Option("Same size", ""));
    this.searchInput = make("input", {
      id: `${uid}-find`,
      type: "search",
      list: `${uid}-names`,
      autocomplete: "off",
      placeholder: "Type a name",
    });
    this.names = make("datalist", { id: `${uid}-names` });
    this.fillNames();
    this.resetButton = make(
      "button",
      { type: "button", className: "button button--secondary button--small" },
      "Show everyone",
    );
    this.zoomInButton = make(
      "button",
      { type: "button", className: "button button--secondary button--small", "aria-label": "Zoom in" },
      "+",
    );
    this.zoomOutButton = make(
      "button",
      { type: "button", className: "button button--secondary button--small", "aria-label": "Zoom out" },
      "−",
    );
    const control = (text, input) =>
      make("div", { className: "network-map__control" }, make("label", { for: input.id }, text), input);
    const controls = make(
      "div",
      { className: "network-map__controls", role: "group", "aria-label": `${label}: controls` },
      // Without categories or metrics there is nothing to choose.
      data.groups.length ? control("Color by", this.colorSelect) : "",
      data.metrics.length ? control("Size by", this.sizeSelect) : "",
      make(
        "div",
        { className: "network-map__control network-map__control--find" },
        make("label", { for: this.searchInput.id }, "Find"),
        this.searchInput,
        this.names,
      ),
      make(
        "div",
        { className: "network-map__buttons" },
        this.resetButton,
        this.zoomInButton,
        this.zoomOutButton,
      ),
    );

    this.summary = make("p", { id: `${uid}-summary`, className: "network-map__sr" });
    this.sceneCanvas = make("canvas", { className: "network-map__canvas", "aria-hidden": "true" });
    this.overlay = make("canvas", {
      className: "network-map__canvas network-map__canvas--overlay",
      role: "img",
      "aria-label": label,
      "aria-describedby": this.summary.id,
      tabindex: "0",
    });
    this.tooltip = make("div", { className: "network-map__tooltip", hidden: true, "aria-hidden": "true" });
    this.stage = make(
      "div",
      { className: "network-map__stage" },
      this.sceneCanvas,
      this.overlay,
      this.tooltip,
    );

    this.counts = make("span", { className: "network-map__counts" });
    this.focusNote = make("span", { className: "network-map__focus-note" });
    this.status = make(
      "p",
      { className: "network-map__status", role: "status" },
      this.counts,
      " ",
      this.focusNote,
    );
    const hint = data.href
      ? "Drag to move, scroll to zoom, click to focus, double-click to open."
      : "Drag to move, scroll to zoom, click to focus.";
    this.legend = make("div", { className: "network-map__legend" });
    const footer = make(
      "div",
      { className: "network-map__footer" },
      this.status,
      make("p", { className: "network-map__hint" }, hint),
      this.legend,
    );
    this.element.replaceChildren(controls, this.stage, footer, this.summary);
  }

  // Suggestions for the Find box; people who share a name are told apart by
  // their first category (e.g. team), then by id.
  fillNames() {
    const { data } = this;
    const seen = new Map();
    for (const label of data.label) seen.set(label, (seen.get(label) || 0) + 1);
    const firstGroup = data.groups[0];
    this.nameIndex = new Map();
    const options = document.createDocumentFragment();
    for (let i = 0; i < data.n; i++) {
      let name = data.label[i];
      if (seen.get(name) > 1)
        name = firstGroup ? `${name} (${firstGroup.values[i]})` : `${name} (${data.id[i]})`;
      if (this.nameIndex.has(name.toLowerCase())) name = `${data.label[i]} (${data.id[i]})`;
      this.nameIndex.set(name.toLowerCase(), i);
      options.append(new Option("", name));
    }
    this.names.append(options);
  }

  // ---- Colours, sizes, focus ----

  applyColors(group, { render = true } = {}) {
    const { data } = this;
    if (group) {
      const ranked = rankCategories(group.values);
      this.colorIndex = ranked.colorIndex;
      this.categories = ranked;
      this.colors = COLORS;
    } else {
      this.colorIndex = new Uint8Array(data.n);
      this.categories = null;
      this.colors = [this.theme.singleColor];
    }
    this.colorGroup = group;
    this.colorKey = group ? group.key : null;
    if (group) this.colorSelect.value = group.key;
    this.buckets = bucketsByColor(this.colorIndex, this.colors.length);
    if (this.ego) this.egoBuckets = bucketsByColor(this.colorIndex, this.colors.length, this.ego);
    this.updateLegend();
    if (render) this.render();
  }

  applySizes(metric, { render = true } = {}) {
    this.sizeMetric = metric;
    this.sizeKey = metric ? metric.key : null;
    this.sizeSelect.value = metric ? metric.key : "";
    this.radius = radii(metric ? metric.values : null, this.radiusRange, this.data.n);
    this.maxRadius = this.radius.reduce((a, b) => Math.max(a, b), 0);
    this.updateLegend();
    if (render) this.render();
  }

  setFocus(index, { animate = false } = {}) {
    const { data } = this;
    if (index === this.focusIndex) return;
    this.focusIndex = index;
    this.cameraMoved = false; // the camera now shows the focus (or everyone) again
    if (index < 0) {
      this.ego = this.egoEdges = this.egoBuckets = this.dimmed = null;
      this.egoSize = 0;
      this.searchInput.value = "";
      this.moveCamera(this.fittedCamera(null), animate);
    } else {
      const ego = new Uint8Array(data.n);
      const { offsets, list } = data.neighbours;
      for (let k = offsets[index]; k < offsets[index + 1]; k++) ego[list[k]] = 1;
      ego[index] = 2;
      let size = 0;
      for (let i = 0; i < data.n; i++) size += ego[i] ? 1 : 0;
      const egoEdges = [];
      for (let e = 0; e < data.m; e++) if (ego[data.source[e]] && ego[data.target[e]]) egoEdges.push(e);
      this.ego = ego;
      this.egoSize = size;
      this.egoEdges = Int32Array.from(egoEdges);
      this.egoBuckets = bucketsByColor(this.colorIndex, this.colors.length, ego);
      const dimmed = new Int32Array(data.n - size);
      for (let i = 0, k = 0; i < data.n; i++) if (!ego[i]) dimmed[k++] = i;
      this.dimmed = dimmed;
      this.moveCamera(this.fittedCamera(ego), animate);
    }
    this.updateStatus();
    this.render();
  }

  // The camera that shows the nodes marked in `only`, or all nodes at the
  // fitted zoom (the zoom that all radii and limits are relative to).
  fittedCamera(only) {
    const { data } = this;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < data.n; i++) {
      if (only && !only[i]) continue;
      minX = Math.min(minX, data.x[i]);
      maxX = Math.max(maxX, data.x[i]);
      minY = Math.min(minY, data.y[i]);
      maxY = Math.max(maxY, data.y[i]);
    }
    const pad = 32 + 1.5 * this.radiusRange[1];
    const width = Math.max(1, this.renderer.width - 2 * pad);
    const height = Math.max(1, this.renderer.height - 2 * pad);
    const spanX = maxX - minX;
    const spanY = maxY - minY;
    const center = { x: (minX + maxX) / 2, y: (minY + maxY) / 2 };
    if (!only) {
      const scale =
        spanX > 0 || spanY > 0
          ? Math.min(spanX > 0 ? width / spanX : Infinity, spanY > 0 ? height / spanY : Infinity)
          : 1;
      return { ...center, scale };
    }
    // A lone node (no neighbours) gets a closer look than the whole map.
    const scale = spanX > 0 || spanY > 0 ? Math.min(width / spanX, height / spanY) : this.fitScale * 4;
    return { ...center, scale: this.clampScale(scale) };
  }

  clampScale(scale) {
    const most = this.fitScale * Math.max(50, 4 * Math.sqrt(this.data.n));
    return Math.min(most, Math.max(this.fitScale / 4, scale));
  }

  // Nodes grow as the camera zooms in, but slower than the distances do.
  get nodeScale() {
    return Math.min(3, Math.max(0.6, (this.camera.scale / this.fitScale) ** 0.4));
  }

  // ---- Drawing ----

  view() {
    return {
      data: this.data,
      camera: this.camera,
      nodeScale: this.nodeScale,
      radius: this.radius,
      colors: this.colors,
      colorIndex: this.colorIndex,
      buckets: this.buckets,
      egoBuckets: this.egoBuckets,
      dimmed: this.dimmed,
      ego: this.ego,
      egoEdges: this.egoEdges,
      edgeLevels: this.edgeLevels,
      focused: this.focusIndex,
      hovered: this.hoverIndex,
    };
  }

  /** Redraw now (synchronously), unless the map is not on screen. */
  render() {
    if (!this.renderer || this.renderer.width === 0) return;
    this.renderer.drawScene(this.view());
  }

  // Redraw on the next animation frame; while the camera moves over a slow
  // scene, move the last picture instead and redraw once it rests.
  requestFrame() {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (!(this.moving && this.renderer.slow && this.renderer.drawSnapshot(this.view()))) this.render();
    });
  }

  cameraChanged() {
    this.cameraMoved = true;
    this.moving = true;
    clearTimeout(this.restTimer);
    this.restTimer = setTimeout(() => {
      this.moving = false;
      this.requestFrame();
    }, REST_MS);
    this.requestFrame();
  }

  moveCamera(target, animate) {
    const reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    cancelAnimationFrame(this.animation);
    this.animating = false;
    if (!animate || reduceMotion || this.renderer.slow) {
      this.camera = target;
      return;
    }
    this.animating = true;
    const from = { ...this.camera };
    const started = performance.now();
    const step = (now) => {
      const t = Math.min(1, (now - started) / ANIMATION_MS);
      const ease = t * (2 - t);
      this.camera = {
        x: from.x + (target.x - from.x) * ease,
        y: from.y + (target.y - from.y) * ease,
        scale: from.scale * Math.pow(target.scale / from.scale, ease),
      };
      this.render();
      if (t < 1) this.animation = requestAnimationFrame(step);
      else this.animating = false;
    };
    this.animation = requestAnimationFrame(step);
  }

  resize() {
    const width = this.stage.clientWidth;
    const height = this.stage.clientHeight;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const { renderer } = this;
    if (width === renderer.width && height === renderer.height && dpr === renderer.dpr) return;
    renderer.resize(width, height, dpr);
    if (!width || !height) return;
    const whole = this.fittedCamera(null);
    this.fitScale = whole.scale;
    if (!this.cameraMoved) this.camera = this.focusIndex >= 0 ? this.fittedCamera(this.ego) : whole;
    this.render();
  }

  zoomAt(x, y, factor) {
    const { width, height } = this.renderer;
    const [wx, wy] = screenToWorld(this.camera, width, height, x, y);
    const scale = this.clampScale(this.camera.scale * factor);
    // Keep the world point under (x, y) where it is.
    this.camera = { x: wx - (x - width / 2) / scale, y: wy + (y - height / 2) / scale, scale };
    this.cameraChanged();
  }

  panBy(dx, dy) {
    const { scale } = this.camera;
    this.camera = { x: this.camera.x - dx / scale, y: this.camera.y + dy / scale, scale };
    this.cameraChanged();
  }

  toScreen(i) {
    return worldToScreen(
      this.camera,
      this.renderer.width,
      this.renderer.height,
      this.data.x[i],
      this.data.y[i],
    );
  }

  // ---- Pointer, keyboard and controls ----

  nodeAt(x, y) {
    const { data, camera } = this;
    const nodeScale = this.nodeScale;
    const [wx, wy] = screenToWorld(camera, this.renderer.width, this.renderer.height, x, y);
    const reach = (this.maxRadius * nodeScale + HIT_SLOP_PX) / camera.scale;
    let best = -1;
    let bestScore = Infinity;
    for (const i of this.index.within(wx, wy, reach)) {
      const distance = Math.hypot(data.x[i] - wx, data.y[i] - wy) * camera.scale;
      const r = this.radius[i] * nodeScale * (this.ego && !this.ego[i] ? DIMMED_RADIUS : 1);
      if (distance > r + HIT_SLOP_PX) continue;
      const score = distance - r + (this.ego && !this.ego[i] ? 2 : 0);
      if (score < bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best;
  }

  setHover(index, x, y) {
    if (index !== this.hoverIndex) {
      this.hoverIndex = index;
      this.overlay.style.cursor = index >= 0 ? "pointer" : "";
      this.renderer.drawOverlay(this.view());
    }
    if (index < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const { data } = this;
    const lines = [make("strong", {}, data.label[index])];
    if (this.colorGroup)
      lines.push(make("span", {}, `${this.colorGroup.name}: ${this.colorGroup.values[index]}`));
    if (this.sizeMetric)
      lines.push(make("span", {}, `${this.sizeMetric.name}: ${formatMetric(this.sizeMetric.values[index])}`));
    this.tooltip.replaceChildren(...lines);
    this.tooltip.hidden = false;
    const flip = x > this.renderer.width - 200;
    this.tooltip.style.left = flip ? "" : `${x + 14}px`;
    this.tooltip.style.right = flip ? `${this.renderer.width - x + 14}px` : "";
    this.tooltip.style.top = `${Math.min(y + 14, this.renderer.height - 60)}px`;
  }

  activate(index) {
    if (index < 0 || !this.data.href) return;
    const url = new URL(
      this.data.href.replaceAll("{id}", encodeURIComponent(this.data.id[index])),
      window.location.href,
    );
    if (url.protocol === "http:" || url.protocol === "https:") window.location.assign(url.href);
  }

  search(term, { closest }) {
    const query = term.trim().toLowerCase();
    if (!query) return;
    let index = this.nameIndex.get(query);
    if (index === undefined && closest) {
      const labels = this.data.label.map((label) => label.toLowerCase());
      index = labels.findIndex((label) => label.startsWith(query));
      if (index < 0) index = labels.findIndex((label) => label.includes(query));
      if (index < 0) {
        this.focusNote.textContent = `No ${this.data.nouns.node[0]} matches “${term.trim()}”.`;
        return;
      }
    }
    if (index !== undefined) this.setFocus(index, { animate: true });
  }

  wireEvents() {
    const { overlay } = this;
    this.colorSelect.addEventListener("change", () => this.setColorBy(this.colorSelect.value));
    this.sizeSelect.addEventListener("change", () => this.setSizeBy(this.sizeSelect.value));
    this.resetButton.addEventListener("click", () => {
      this.cameraMoved = false;
      if (this.focusIndex >= 0) this.setFocus(-1, { animate: true });
      else this.moveCamera(this.fittedCamera(null), true);
      this.render();
    });
    const zoomButton = (factor) => () =>
      this.zoomAt(this.renderer.width / 2, this.renderer.height / 2, factor);
    this.zoomInButton.addEventListener("click", zoomButton(ZOOM_STEP));
    this.zoomOutButton.addEventListener("click", zoomButton(1 / ZOOM_STEP));

    // Choosing a suggestion fires "input" without an inputType (or with
    // "insertReplacementText"); typing fires it with "insertText", and must
    // not jump to "Ann" on the way to "Anna".
    this.searchInput.addEventListener("input", (event) => {
      if (!event.inputType || event.inputType === "insertReplacementText")
        this.search(this.searchInput.value, { closest: false });
    });
    this.searchInput.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault(); // never submit a surrounding form
      this.search(this.searchInput.value, { closest: true });
    });

    const local = (event) => {
      const box = overlay.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    };
    overlay.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      overlay.setPointerCapture(event.pointerId);
      const [x, y] = local(event);
      this.pointers.set(event.pointerId, { x, y });
      this.gesture = { x, y, moved: this.pointers.size > 1 };
    });
    overlay.addEventListener("pointermove", (event) => {
      const [x, y] = local(event);
      const previous = this.pointers.get(event.pointerId);
      if (!previous) {
        this.setHover(this.nodeAt(x, y), x, y);
        return;
      }
      if (this.pointers.size === 2) {
        const other = [...this.pointers].find(([id]) => id !== event.pointerId)[1];
        const before = Math.hypot(previous.x - other.x, previous.y - other.y);
        const after = Math.hypot(x - other.x, y - other.y);
        this.panBy((x - previous.x) / 2, (y - previous.y) / 2);
        if (before > 0) this.zoomAt((x + other.x) / 2, (y + other.y) / 2, after / before);
      } else {
        if (Math.hypot(x - this.gesture.x, y - this.gesture.y) > CLICK_SLOP_PX) this.gesture.moved = true;
        if (this.gesture.moved) this.panBy(x - previous.x, y - previous.y);
      }
      this.pointers.set(event.pointerId, { x, y });
      this.setHover(-1);
    });
    const release = (event) => {
      if (!this.pointers.delete(event.pointerId)) return;
      const gesture = this.gesture;
      if (event.type === "pointerup" && gesture && !gesture.moved && this.pointers.size === 0) {
        const [x, y] = local(event);
        const index = this.nodeAt(x, y);
        if (index >= 0) this.setFocus(index, { animate: true });
        else if (this.focusIndex >= 0) this.setFocus(-1, { animate: true });
        this.setHover(index, x, y);
      }
      if (this.pointers.size === 0) this.gesture = null;
    };
    overlay.addEventListener("pointerup", release);
    overlay.addEventListener("pointercancel", release);
    overlay.addEventListener("pointerleave", () => {
      if (!this.pointers.size) this.setHover(-1);
    });
    overlay.addEventListener("dblclick", (event) => this.activate(this.nodeAt(...local(event))));
    overlay.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        const lines = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
        this.zoomAt(...local(event), Math.exp(-event.deltaY * lines * 0.002));
      },
      { passive: false },
    );
    overlay.addEventListener("keydown", (event) => {
      const step = 0.15 * Math.min(this.renderer.width, this.renderer.height);
      const keys = {
        ArrowLeft: () => this.panBy(step, 0),
        ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step),
        ArrowDown: () => this.panBy(0, -step),
        "+": zoomButton(ZOOM_STEP),
        "=": zoomButton(ZOOM_STEP),
        "-": zoomButton(1 / ZOOM_STEP),
        0: () => this.resetButton.click(),
        Escape: () => this.setFocus(-1, { animate: true }),
        Enter: () => this.activate(this.focusIndex),
      };
      const action = keys[event.key];
      if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      action();
    });
  }

  // ---- Text: status, legend, summary ----

  updateStatus() {
    const { data } = this;
    this.counts.textContent = `${count(data.n, data.nouns.node)}, ${count(data.m, data.nouns.edge)}.`;
    if (this.focusIndex >= 0) {
      const others = this.egoSize - 1;
      this.focusNote.textContent = `Focused on ${data.label[this.focusIndex]} and ${count(others, data.nouns.node)} linked to them.`;
    } else {
      this.focusNote.textContent = "";
    }
  }

  updateLegend() {
    if (!this.legend || !this.colorIndex || !this.radius) return;
    const { data } = this;
    const parts = [];
    const items = [];
    if (this.colorGroup) {
      const { categories, other } = this.categories;
      parts.push(`Color: ${this.colorGroup.name}`);
      for (const category of categories)
        items.push([this.colors[category.colorIndex], category.value, category.count]);
      if (other.count)
        items.push([
          OTHER_COLOR,
          `Other (${count(other.categories, ["category", "categories"])})`,
          other.count,
        ]);
    }
    parts.push(this.sizeMetric ? `Size: ${this.sizeMetric.name}` : "Same size");
    const list = make("ul", {
      className: "network-map__legend-items",
      "aria-label": this.colorGroup ? `Colors: ${this.colorGroup.name}` : "Colors",
    });
    for (const [color, text, n] of items) {
      const swatch = make("span", { className: "network-map__swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = color;
      list.append(
        make(
          "li",
          {},
          swatch,
          text,
          " ",
          make("span", { className: "network-map__legend-count" }, numbers.format(n)),
        ),
      );
    }
    this.legend.replaceChildren(
      make("p", { className: "network-map__legend-title" }, parts.join(" · ")),
      ...(items.length ? [list] : []),
    );

    const colours = items.map(([, text, n]) => `${text} ${numbers.format(n)}`).join(", ");
    this.summary.textContent =
      `Network map of ${count(data.n, data.nouns.node)} and ${count(data.m, data.nouns.edge)}. ` +
      (this.colorGroup ? `Color shows ${this.colorGroup.name}: ${colours}. ` : "") +
      (this.sizeMetric ? `Size shows ${this.sizeMetric.name}. ` : "") +
      "Use Find to focus on one and its links. On the map, arrow keys move, plus and minus zoom, 0 shows everything, " +
      `Escape clears the focus${data.href ? " and Enter opens the focused one" : ""}.`;
  }
}
