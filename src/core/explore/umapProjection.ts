/**
 * UMAP to 2-D (umap-js) for the plot. UMAP's neighbour graph and epochs grow faster than linearly, so it
 * is fitted on a seeded sample of at most UMAP_SAMPLE rows; every other row is placed at the mean position
 * of its three nearest sampled rows of the same k-means cluster (so the search stays within a cluster
 * and the whole costs seconds, not minutes, for 100,000 rows).
 */
import { UMAP } from 'umap-js';
import { seededRandom } from '../analytics/random';
import type { DenseMatrix } from '../analytics/sparse';

export const UMAP_SAMPLE = 4000;
const PLACEMENT_NEIGHBOURS = 3;

/** n×2 positions of the rows of `x`; `labels` are their clusters; `keepGoing` is asked between epochs, `progress` told. */
export function umapProjection(x: DenseMatrix, labels: Int32Array, seed: number, keepGoing: () => boolean, progress: (done: number, total: number) => void = () => undefined): Float64Array {
  const { rows: n, cols: d, data } = x;
  const random = seededRandom(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const size = Math.min(n, UMAP_SAMPLE);
  for (let i = 0; i < size && size < n; i++) {
    const j = i + random.int(n - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const sample = Array.from(order.subarray(0, size)).sort((a, b) => a - b);
  const vectors = sample.map((row) => Array.from(data.subarray(row * d, row * d + d)));
  const out = new Float64Array(n * 2);
  if (size < 3) {
    // UMAP needs neighbours; one or two points sit on a line.
    sample.forEach((row, i) => (out[row * 2] = i));
    return out;
  }
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, size - 1), random: random.next, minDist: 0.1 });
  const epochs = umap.initializeFit(vectors);
  for (let e = 0; e < epochs; e++) {
    if (!keepGoing()) return out;
    progress(e, epochs + 1);
    umap.step();
  }
  const embedded = umap.getEmbedding();
  const placed = new Uint8Array(n);
  sample.forEach((row, i) => {
    out[row * 2] = embedded[i][0];
    out[row * 2 + 1] = embedded[i][1];
    placed[row] = 1;
  });
  if (size === n) return out;
  const byCluster = new Map<number, number[]>();
  for (const row of sample) {
    const list = byCluster.get(labels[row]) ?? [];
    list.push(row);
    byCluster.set(labels[row], list);
  }
  const best = new Float64Array(PLACEMENT_NEIGHBOURS);
  const bestRow = new Int32Array(PLACEMENT_NEIGHBOURS);
  for (let i = 0; i < n; i++) {
    if (placed[i]) continue;
    if ((i & 1023) === 0) {
      if (!keepGoing()) return out;
      progress(epochs + i / n, epochs + 1);
    }
    const candidates = byCluster.get(labels[i]) ?? sample;
    best.fill(Infinity);
    bestRow.fill(-1);
    for (const row of candidates) {
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[i * d + j] - data[row * d + j];
        dist += diff * diff;
      }
      if (dist >= best[PLACEMENT_NEIGHBOURS - 1]) continue;
      let at = PLACEMENT_NEIGHBOURS - 1;
      while (at > 0 && best[at - 1] > dist) {
        best[at] = best[at - 1];
        bestRow[at] = bestRow[at - 1];
        at--;
      }
      best[at] = dist;
      bestRow[at] = row;
    }
    let count = 0;
    for (let t = 0; t < PLACEMENT_NEIGHBOURS; t++) {
      if (bestRow[t] < 0) continue;
      out[i * 2] += out[bestRow[t] * 2];
      out[i * 2 + 1] += out[bestRow[t] * 2 + 1];
      count++;
    }
    if (count > 0) {
      out[i * 2] /= count;
      out[i * 2 + 1] /= count;
    }
  }
  return out;
}
