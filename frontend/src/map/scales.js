// Colours and sizes of map nodes: both must be stable (same data, same
// picture on every reload) and readable by people with colour-blindness.

// Okabe & Ito's colour-blind-safe palette (without black, which reads as
// text), extended with the most distinct hues of Tableau 10. Past about eight
// categories no palette stays unambiguous, so the legend and the tooltip
// always name the category too.
export const PALETTE = [
  "#0072b2", // blue
  "#e69f00", // orange
  "#009e73", // bluish green
  "#d55e00", // vermillion
  "#56b4e9", // sky blue
  "#cc79a7", // reddish purple
  "#f0e442", // yellow
  "#9c755f", // brown (Tableau)
  "#b07aa1", // mauve (Tableau)
  "#76b7b2", // teal (Tableau)
  "#ff9da7", // pink (Tableau)
  "#59a14f", // green (Tableau)
];
export const OTHER_COLOR = "#8c959f";
export const OTHER_INDEX = PALETTE.length;
export const COLORS = [...PALETTE, OTHER_COLOR];

/**
 * Give each category of `values` a colour index: the most common category
 * gets PALETTE[0], ties broken by name, so the same data always gets the same
 * colours; categories past the palette share OTHER_INDEX.
 *
 * Returns {colorIndex: Uint8Array, categories: [{value, count, colorIndex}],
 * other: {count, categories}}.
 */
export function rankCategories(values) {
  const counts = new Map();
  for (const value of values) counts.set(value, (counts.get(value) || 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const indexOf = new Map();
  const categories = [];
  const other = { count: 0, categories: 0 };
  ranked.forEach(([value, count], rank) => {
    const colorIndex = rank < PALETTE.length ? rank : OTHER_INDEX;
    indexOf.set(value, colorIndex);
    if (colorIndex === OTHER_INDEX) {
      other.count += count;
      other.categories += 1;
    } else {
      categories.push({ value, count, colorIndex });
    }
  });
  const colorIndex = new Uint8Array(values.length);
  values.forEach((value, i) => {
    colorIndex[i] = indexOf.get(value);
  });
  return { colorIndex, categories, other };
}

/** Smallest and largest node radius (CSS pixels at the fitted zoom) for a map of n nodes. */
export function radiusRange(n) {
  if (n <= 60) return [6, 18];
  if (n <= 1500) return [3, 12];
  return [1.5, 7];
}

/**
 * Node radii for a metric: the area grows with the value (radius with its
 * square root) between min and max. Missing values (NaN) get the smallest
 * radius; without a metric every node gets the same, middle radius.
 */
export function radii(values, [min, max], n) {
  const out = new Float32Array(n);
  if (!values) {
    out.fill((min + max) / 2);
    return out;
  }
  let lo = 0;
  let hi = -Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    if (value < lo) lo = value;
    if (value > hi) hi = value;
  }
  const span = hi - lo;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (Number.isNaN(value)) out[i] = min;
    else out[i] = span > 0 ? min + (max - min) * Math.sqrt((value - lo) / span) : (min + max) / 2;
  }
  return out;
}
