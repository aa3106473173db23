// Loads and checks the map JSON (the contract is in docs/network-map.md) and
// turns its columns into typed arrays the renderer can loop over quickly.

export class MapDataError extends Error {}

function fail(message) {
  throw new MapDataError(message);
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function column(value, name, length) {
  if (!Array.isArray(value)) fail(`"${name}" is missing or not a list`);
  if (length !== undefined && value.length !== length) {
    fail(`"${name}" has ${value.length} entries, expected ${length}`);
  }
  return value;
}

function coordinates(value, name, n) {
  const out = new Float64Array(n);
  column(value, name, n).forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(`${name}[${i}] is not a number`);
    out[i] = v;
  });
  return out;
}

function nodeIndices(value, name, n, m) {
  const out = new Int32Array(m);
  column(value, name, m).forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      fail(`${name}[${i}] is ${JSON.stringify(v)}, not the index of one of the ${n} nodes`);
    }
    out[i] = v;
  });
  return out;
}

function nounPair(value, fallback, name) {
  if (value === undefined || value === null) return fallback;
  if (!Array.isArray(value) || value.length !== 2 || !value.every((w) => typeof w === "string" && w)) {
    fail(`"${name}" must be a [singular, plural] pair of words`);
  }
  return value;
}

// Display names from "labels", else the key made readable ("team_size" -> "Team size").
function displayNames(labels, kind) {
  const names = isObject(labels) && isObject(labels[kind]) ? labels[kind] : {};
  return (key) => {
    if (typeof names[key] === "string" && names[key]) return names[key];
    const words = key.replace(/[_-]+/g, " ").trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
  };
}

/**
 * Check the decoded JSON and return the map's data:
 * {n, m, id, label, x, y, groups: [{key, name, values}], metrics: [{key, name, values}],
 *  source, target, weight, href, nouns: {node, edge}, indexById, neighbours}.
 * Throws MapDataError with a message fit to show people.
 */
export function parseMapData(json) {
  if (!isObject(json)) fail('expected a JSON object with "nodes" and "edges"');
  const nodes = json.nodes;
  if (!isObject(nodes)) fail('"nodes" is missing or not an object');
  const id = column(nodes.id, "nodes.id").map((v, i) => {
    if (typeof v !== "string" && typeof v !== "number") fail(`nodes.id[${i}] is not a string`);
    return String(v);
  });
  const n = id.length;
  const indexById = new Map();
  id.forEach((value, i) => {
    if (indexById.has(value)) fail(`node id "${value}" appears twice`);
    indexById.set(value, i);
  });
  const label =
    nodes.label === undefined
      ? id.slice()
      : column(nodes.label, "nodes.label", n).map((v, i) => (v === null || v === "" ? id[i] : String(v)));
  const x = coordinates(nodes.x, "nodes.x", n);
  const y = coordinates(nodes.y, "nodes.y", n);

  const groupName = displayNames(json.labels, "groups");
  const rawGroups = nodes.groups ?? {};
  if (!isObject(rawGroups)) fail('"nodes.groups" must be an object of lists');
  const groups = Object.entries(rawGroups).map(([key, values]) => ({
    key,
    name: groupName(key),
    values: column(values, `nodes.groups.${key}`, n).map((v) =>
      v === null || v === "" ? "Not set" : String(v),
    ),
  }));

  const metricName = displayNames(json.labels, "metrics");
  const rawMetrics = nodes.metrics ?? {};
  if (!isObject(rawMetrics)) fail('"nodes.metrics" must be an object of lists');
  const metrics = Object.entries(rawMetrics).map(([key, values]) => {
    const out = new Float64Array(n);
    column(values, `nodes.metrics.${key}`, n).forEach((v, i) => {
      if (v !== null && typeof v !== "number") fail(`nodes.metrics.${key}[${i}] is not a number`);
      out[i] = v === null || !Number.isFinite(v) ? NaN : v;
    });
    return { key, name: metricName(key), values: out };
  });

  const edges = json.edges;
  if (!isObject(edges)) fail('"edges" is missing or not an object');
  const m = column(edges.source, "edges.source").length;
  const source = nodeIndices(edges.source, "edges.source", n, m);
  const target = nodeIndices(edges.target, "edges.target", n, m);
  let weight = null;
  if (edges.weight !== undefined && edges.weight !== null) {
    weight = new Float32Array(m);
    column(edges.weight, "edges.weight", m).forEach((v, i) => {
      weight[i] = typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
    });
  }

  let href = null;
  if (json.href !== undefined && json.href !== null) {
    if (typeof json.href !== "string" || !json.href.includes("{id}"))
      fail('"href" must be a URL template containing {id}');
    href = json.href;
  }

  return {
    n,
    m,
    id,
    label,
    x,
    y,
    groups,
    metrics,
    source,
    target,
    weight,
    href,
    nouns: {
      node: nounPair(json.noun, ["node", "nodes"], "noun"),
      edge: nounPair(json.edgeNoun, ["link", "links"], "edgeNoun"),
    },
    indexById,
    neighbours: adjacency(n, source, target),
  };
}

// Compressed adjacency lists: the neighbours of node i are
// list[offsets[i]] .. list[offsets[i + 1] - 1] (links count both ways).
function adjacency(n, source, target) {
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < source.length; e++) {
    offsets[source[e] + 1]++;
    offsets[target[e] + 1]++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const list = new Int32Array(offsets[n]);
  for (let e = 0; e < source.length; e++) {
    list[fill[source[e]]++] = target[e];
    list[fill[target[e]]++] = source[e];
  }
  return { offsets, list };
}

/** Fetch the map JSON at `url` and parse it; errors are MapDataErrors with a readable message. */
export async function fetchMapData(url) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch (error) {
    throw new MapDataError(`the server could not be reached (${error.message})`);
  }
  if (!response.ok) fail(`the server answered ${response.status} ${response.statusText}`.trim());
  let json;
  try {
    json = await response.json();
  } catch {
    fail("the server's answer is not valid JSON");
  }
  return parseMapData(json);
}
