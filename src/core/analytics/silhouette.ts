/** Silhouette score of a clustering, and a suggested k from the silhouette over a range. */
import { kmeans } from './kmeans';
import { seededRandom } from './random';
import type { DenseMatrix } from './sparse';

/** Mean silhouette (−1 .. 1) of rows `x` labelled `labels` (Euclidean); 0 when there is a single cluster. */
export function silhouette(x: DenseMatrix, labels: Int32Array): number {
  const { rows: n, cols: d, data } = x;
  let k = 0;
  for (const label of labels) k = Math.max(k, label + 1);
  const sizes = new Int32Array(k);
  for (const label of labels) sizes[label]++;
  if (sizes.filter((s) => s > 0).length < 2) return 0;
  const sumTo = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sumTo.fill(0);
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t] - data[j * d + t];
        s += diff * diff;
      }
      sumTo[labels[j]] += Math.sqrt(s);
    }
    const own = labels[i];
    // A point alone in its cluster scores 0, as scikit-learn defines it.
    if (sizes[own] <= 1) continue;
    const a = sumTo[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sumTo[c] / sizes[c]);
    total += (b - a) / Math.max(a, b) || 0;
  }
  return total / n;
}

/** What suggestK weighs. */
export interface SuggestKOptions {
  readonly minK?: number;
  readonly maxK?: number;
  readonly seed?: number;
  /** Silhouette is quadratic in rows: larger sets are scored on a seeded sample of this many (default 2000). */
  readonly sampleSize?: number;
}

/** Each k tried with its silhouette, and the best k. */
export interface KSuggestion {
  readonly k: number;
  readonly scores: readonly { readonly k: number; readonly silhouette: number }[];
}

/** The k in [minK, maxK] whose k-means clustering of a sample has the highest silhouette. */
export function suggestK(x: DenseMatrix, options: SuggestKOptions = {}): KSuggestion {
  const seed = options.seed ?? 0;
  const sampleSize = Math.min(options.sampleSize ?? 2000, x.rows);
  let sample = x;
  if (sampleSize < x.rows) {
    // A partial Fisher-Yates shuffle picks rows without repeats.
    const random = seededRandom(seed);
    const order = Int32Array.from({ length: x.rows }, (_, i) => i);
    const data = new Float64Array(sampleSize * x.cols);
    for (let i = 0; i < sampleSize; i++) {
      const j = i + random.int(x.rows - i);
      [order[i], order[j]] = [order[j], order[i]];
      data.set(x.data.subarray(order[i] * x.cols, (order[i] + 1) * x.cols), i * x.cols);
    }
    sample = { rows: sampleSize, cols: x.cols, data };
  }
  const minK = Math.max(2, options.minK ?? 2);
  const maxK = Math.min(options.maxK ?? 15, sample.rows - 1);
  if (maxK < minK) throw new Error(`Too few items (${x.rows}) to compare clusterings`);
  const scores: { k: number; silhouette: number }[] = [];
  for (let k = minK; k <= maxK; k++) scores.push({ k, silhouette: silhouette(sample, kmeans(sample, { k, seed }).labels) });
  const best = scores.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
  return { k: best.k, scores };
}
