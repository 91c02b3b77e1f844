/**
 * The Explore plot's points grouped into one trace per cluster, as typed arrays (no per-point
 * objects: 100,000 points are two passes over the labels), with the maps between an item's
 * global index and its (trace, position) that selection, hover and highlighting need.
 */
import type { ClusterSummary } from '../../../core/explore/exploreTypes';

/** What ScatterPlot.setData receives: item i at (x[i], y[i]) in cluster labels[i]. */
export interface PlotPoints {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly labels: Int32Array;
  readonly clusters: readonly ClusterSummary[];
}

/** One cluster's points (or, last, the items whose label names no cluster). */
export interface ClusterTrace {
  /** The cluster id, or -1 for the items of no listed cluster. */
  readonly clusterId: number;
  /** The legend label, escaped for Plotly's pseudo-HTML. */
  readonly name: string;
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Global item index of each point of this trace. */
  readonly items: Int32Array;
}

export interface GroupedPoints {
  readonly traces: readonly ClusterTrace[];
  /** Per global item: the trace it is in. */
  readonly traceOf: Int32Array;
  /** Per global item: its position in that trace. */
  readonly positionOf: Int32Array;
}

/** Groups the points by cluster, in the clusters' order; items of unlisted labels go to a last "other" trace. */
export function groupPoints(points: PlotPoints): GroupedPoints {
  const n = points.labels.length;
  if (points.x.length !== n || points.y.length !== n) throw new Error(`x, y and labels differ in length (${points.x.length}, ${points.y.length}, ${n})`);
  const traceById = new Map<number, number>();
  points.clusters.forEach((cluster, t) => traceById.set(cluster.id, t));
  const other = points.clusters.length;
  const traceOf = new Int32Array(n);
  const counts = new Int32Array(other + 1);
  for (let i = 0; i < n; i++) {
    const t = traceById.get(points.labels[i]) ?? other;
    traceOf[i] = t;
    counts[t]++;
  }
  const xs = Array.from(counts, (c) => new Float32Array(c));
  const ys = Array.from(counts, (c) => new Float32Array(c));
  const items = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(other + 1);
  const positionOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = traceOf[i];
    const p = fill[t]++;
    xs[t][p] = points.x[i];
    ys[t][p] = points.y[i];
    items[t][p] = i;
    positionOf[i] = p;
  }
  const traces: ClusterTrace[] = points.clusters.map((cluster, t) => ({ clusterId: cluster.id, name: clusterLabel(cluster), x: xs[t], y: ys[t], items: items[t] }));
  if (counts[other] > 0) traces.push({ clusterId: -1, name: 'other', x: xs[other], y: ys[other], items: items[other] });
  return { traces, traceOf, positionOf };
}

/** "3 · dog beach ball": the cluster's number and its first three distinctive terms, safe for Plotly. */
export function clusterLabel(cluster: ClusterSummary): string {
  const terms = cluster.terms.slice(0, 3).join(' ');
  return plotlyText(terms ? `${cluster.id} · ${terms}` : String(cluster.id));
}

/**
 * Text as Plotly shows it literally: Plotly reads `<b>`, `<br>`, `<a href>`… in labels as markup
 * and decodes entities, so `&`, `<` and `>` become entities (dataset text is never markup).
 */
export function plotlyText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Marker diameter in pixels: smaller as the plot fills up, so clusters stay readable. */
export function markerSize(count: number): number {
  return count > 50_000 ? 3 : count > 10_000 ? 4 : count > 1_000 ? 5 : 7;
}

/**
 * Per trace, the positions of the given global items (undefined when `indices` is null: no
 * selection); out-of-range indices are ignored.
 */
export function positionsByTrace(grouped: GroupedPoints, indices: readonly number[] | null): Array<number[]> | undefined {
  if (indices === null) return undefined;
  const out = grouped.traces.map((): number[] => []);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= grouped.traceOf.length) continue;
    out[grouped.traceOf[i]].push(grouped.positionOf[i]);
  }
  return out;
}

/** Per trace, each point's opacity: `on` for matches, `off` for the rest. */
export function opacityByTrace(grouped: GroupedPoints, matches: Uint8Array, on: number, off: number): Float32Array[] {
  if (matches.length !== grouped.traceOf.length) throw new Error(`highlight has ${matches.length} flags for ${grouped.traceOf.length} points`);
  return grouped.traces.map((trace) => {
    const opacity = new Float32Array(trace.items.length);
    for (let p = 0; p < opacity.length; p++) opacity[p] = matches[trace.items[p]] ? on : off;
    return opacity;
  });
}
