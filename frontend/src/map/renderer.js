// Draws a map on two stacked 2D canvases: the scene (links, nodes, labels)
// and a cheap overlay (rings around the hovered and focused nodes), so hover
// never redraws 50,000 links. Why canvas 2D and not WebGL: docs/network-map.md.

const TAU = Math.PI * 2;
const LINKS_PER_STROKE = 4096; // one very long path rasterises slower than a few batches
const LABEL_MAX_CANDIDATES = 250; // more nodes than this on screen: zoomed out, no labels
const LABEL_MAX = 120;
const LABEL_MAX_CHARS = 28;
const SLOW_FRAME_MS = 50; // slower scenes are moved as a bitmap while the camera moves
export const DIMMED_RADIUS = 0.6; // dimmed nodes shrink, so the focus stands out
const FAINT_LINKS_MAX = 20000; // with more links, a focus hides the others instead of fading them

/** Where the camera looks: world point (x, y) at the centre, `scale` CSS pixels per world unit. */
export function worldToScreen(camera, width, height, x, y) {
  return [(x - camera.x) * camera.scale + width / 2, (camera.y - y) * camera.scale + height / 2];
}

export function screenToWorld(camera, width, height, sx, sy) {
  return [(sx - width / 2) / camera.scale + camera.x, camera.y - (sy - height / 2) / camera.scale];
}

export class MapRenderer {
  constructor(scene, overlay, theme) {
    this.scene = scene;
    this.overlay = overlay;
    this.theme = theme;
    this.sceneContext = scene.getContext("2d");
    this.overlayContext = overlay.getContext("2d");
    if (!this.sceneContext || !this.overlayContext) throw new Error("this browser cannot draw on a canvas");
    this.width = 0;
    this.height = 0;
    this.dpr = 1;
    this.screenX = new Float32Array(0);
    this.screenY = new Float32Array(0);
    this.snapshot = null; // {canvas, camera} of the last slow scene
    this.lastSceneMs = 0;
    this.frameMs = 0;
    this.sceneCount = 0;
    this.labelWidths = null;
  }

  resize(width, height, dpr) {
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    for (const canvas of [this.scene, this.overlay]) {
      canvas.width = Math.max(1, Math.round(width * dpr));
      canvas.height = Math.max(1, Math.round(height * dpr));
    }
    this.snapshot = null;
  }

  /**
   * True when a full scene is too slow to redraw on every pointer move. The
   * browser rasterises canvas paths after the script returns, so the cost is
   * measured as the time from drawing to the next animation frame.
   */
  get slow() {
    return this.frameMs > SLOW_FRAME_MS;
  }

  /** Screen radius of node i for the view. */
  radius(view, i) {
    const r = view.radius[i] * view.nodeScale;
    return view.ego && !view.ego[i] ? r * DIMMED_RADIUS : r;
  }

  drawScene(view) {
    const started = performance.now();
    const { data } = view;
    const ctx = this.sceneContext;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.scene.width, this.scene.height);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    if (this.screenX.length !== data.n) {
      this.screenX = new Float32Array(data.n);
      this.screenY = new Float32Array(data.n);
      this.labelWidths = new Float32Array(data.n).fill(-1);
    }
    const { camera } = view;
    const halfWidth = this.width / 2;
    const halfHeight = this.height / 2;
    for (let i = 0; i < data.n; i++) {
      this.screenX[i] = (data.x[i] - camera.x) * camera.scale + halfWidth;
      this.screenY[i] = (camera.y - data.y[i]) * camera.scale + halfHeight;
    }
    this.drawLinks(view);
    this.drawNodes(view);
    this.drawLabels(view);
    this.lastSceneMs = performance.now() - started;
    this.sceneCount += 1;
    const scene = this.sceneCount;
    requestAnimationFrame(() => {
      if (scene === this.sceneCount) this.frameMs = performance.now() - started;
    });
    // A first guess until the first frame is measured.
    if (scene === 1) this.frameMs = data.m + data.n > 20000 ? SLOW_FRAME_MS + 1 : 0;
    this.snapshot = this.slow ? this.takeSnapshot(camera) : null;
    this.drawOverlay(view);
    return this.lastSceneMs;
  }

  drawLinks(view) {
    const ctx = this.sceneContext;
    const { data, ego } = view;
    ctx.strokeStyle = this.theme.edge;
    if (!ego || data.m <= FAINT_LINKS_MAX) {
      for (const level of view.edgeLevels) {
        ctx.globalAlpha = ego ? this.theme.dimmedEdgeAlpha : level.alpha;
        ctx.lineWidth = level.width;
        this.strokeLinks(data, level.edges);
      }
    }
    if (ego && view.egoEdges.length) {
      ctx.strokeStyle = this.theme.edgeFocus;
      ctx.globalAlpha = 0.6;
      ctx.lineWidth = 1.2;
      this.strokeLinks(data, view.egoEdges);
    }
    ctx.globalAlpha = 1;
  }

  strokeLinks(data, edges) {
    const ctx = this.sceneContext;
    const { screenX: sx, screenY: sy, width, height } = this;
    let batched = 0;
    ctx.beginPath();
    for (let k = 0; k < edges.length; k++) {
      const e = edges[k];
      const a = data.source[e];
      const b = data.target[e];
      const ax = sx[a];
      const ay = sy[a];
      const bx = sx[b];
      const by = sy[b];
      // Skip links entirely on one side of the screen (cheap, and most of them when zoomed in).
      if (
        (ax < 0 && bx < 0) ||
        (ax > width && bx > width) ||
        (ay < 0 && by < 0) ||
        (ay > height && by > height)
      ) {
        continue;
      }
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
      if (++batched === LINKS_PER_STROKE) {
        ctx.stroke();
        ctx.beginPath();
        batched = 0;
      }
    }
    if (batched) ctx.stroke();
  }

  drawNodes(view) {
    const ctx = this.sceneContext;
    const { ego } = view;
    const outline = view.data.n <= 3000 || view.nodeScale > 2;
    ctx.lineWidth = 0.75;
    ctx.strokeStyle = this.theme.nodeOutline;
    if (ego) {
      ctx.fillStyle = this.theme.dimmedNode;
      this.fillNodes(view, view.dimmed, false, DIMMED_RADIUS);
    }
    view.buckets.forEach((bucket, colorIndex) => {
      ctx.fillStyle = view.colors[colorIndex];
      this.fillNodes(view, ego ? view.egoBuckets[colorIndex] : bucket, outline);
    });
    // The focused node goes on top of its neighbours.
    if (view.focused >= 0) {
      ctx.fillStyle = view.colors[view.colorIndex[view.focused]];
      this.fillNodes(view, [view.focused], true);
    }
  }

  fillNodes(view, nodes, outline, factor = 1) {
    const ctx = this.sceneContext;
    const { screenX: sx, screenY: sy, width, height } = this;
    const { radius } = view;
    const nodeScale = view.nodeScale * factor;
    ctx.beginPath();
    let drawn = 0;
    for (let k = 0; k < nodes.length; k++) {
      const i = nodes[k];
      const r = radius[i] * nodeScale;
      const x = sx[i];
      const y = sy[i];
      if (x < -r || y < -r || x > width + r || y > height + r) continue;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, TAU);
      drawn++;
    }
    if (!drawn) return;
    ctx.fill();
    if (outline) ctx.stroke();
  }

  // Label the biggest nodes on screen that fit without overlapping; none when
  // zoomed out so far that more than LABEL_MAX_CANDIDATES nodes are visible.
  drawLabels(view) {
    const ctx = this.sceneContext;
    const { data, ego } = view;
    const { screenX: sx, screenY: sy, width, height } = this;
    const candidates = [];
    for (let i = 0; i < data.n; i++) {
      if (ego && !ego[i]) continue;
      if (sx[i] < 0 || sy[i] < 0 || sx[i] > width || sy[i] > height) continue;
      candidates.push(i);
      if (candidates.length > LABEL_MAX_CANDIDATES) break;
    }
    if (candidates.length > LABEL_MAX_CANDIDATES) {
      if (view.focused < 0) return;
      candidates.length = 0;
      candidates.push(view.focused);
    }
    candidates.sort((a, b) => (b === view.focused) - (a === view.focused) || view.radius[b] - view.radius[a]);
    ctx.font = this.theme.font;
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = this.theme.labelHalo;
    ctx.fillStyle = this.theme.label;
    const placed = [];
    for (const i of candidates) {
      if (placed.length >= LABEL_MAX) break;
      const text = this.labelText(data, i);
      if (this.labelWidths[i] < 0) this.labelWidths[i] = ctx.measureText(text).width;
      const r = this.radius(view, i);
      const textWidth = this.labelWidths[i];
      // Right of the node, or left of it near the right edge.
      const left = sx[i] + r + 3 + textWidth > width ? sx[i] - r - 3 - textWidth : sx[i] + r + 3;
      const box = [left, sy[i] - 8, left + textWidth, sy[i] + 8];
      if (placed.some((p) => box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1])) continue;
      placed.push(box);
      ctx.strokeText(text, box[0], sy[i]);
      ctx.fillText(text, box[0], sy[i]);
    }
  }

  labelText(data, i) {
    const label = data.label[i];
    return label.length > LABEL_MAX_CHARS ? `${label.slice(0, LABEL_MAX_CHARS - 1)}…` : label;
  }

  drawOverlay(view) {
    const ctx = this.overlayContext;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const ring = (i, color, width) => {
      const [x, y] = worldToScreen(view.camera, this.width, this.height, view.data.x[i], view.data.y[i]);
      ctx.beginPath();
      ctx.arc(x, y, this.radius(view, i) + 2 + width / 2, 0, TAU);
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.stroke();
    };
    if (view.focused >= 0) ring(view.focused, this.theme.focusRing, 3);
    if (view.hovered >= 0 && view.hovered !== view.focused) ring(view.hovered, this.theme.hoverRing, 2);
  }

  takeSnapshot(camera) {
    const canvas = this.snapshot?.canvas ?? document.createElement("canvas");
    canvas.width = this.scene.width;
    canvas.height = this.scene.height;
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(this.scene, 0, 0);
    return { canvas, camera: { ...camera } };
  }

  /**
   * While the camera moves over a slow scene, move and scale the last scene's
   * bitmap instead of redrawing it; the caller redraws properly once the
   * camera rests. Returns false when there is no bitmap to move.
   */
  drawSnapshot(view) {
    if (!this.snapshot) return false;
    const { camera } = view;
    const old = this.snapshot.camera;
    const k = camera.scale / old.scale;
    const cx = this.scene.width / 2;
    const cy = this.scene.height / 2;
    const dx = cx - cx * k + (old.x - camera.x) * camera.scale * this.dpr;
    const dy = cy - cy * k + (camera.y - old.y) * camera.scale * this.dpr;
    const ctx = this.sceneContext;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.scene.width, this.scene.height);
    ctx.setTransform(k, 0, 0, k, dx, dy);
    ctx.drawImage(this.snapshot.canvas, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.drawOverlay(view);
    return true;
  }
}
