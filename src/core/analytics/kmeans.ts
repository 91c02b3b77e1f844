/**
 * k-means on dense rows: k-means++ seeding (greedy, 2 + ln k candidates per centre as scikit-learn does),
 * Lloyd iterations (with Elkan's bounds by default) until the centres stop moving, the best of several seeded restarts by inertia.
 * The same seed gives the same clustering.
 */
import { elkanIterations } from './kmeansElkan';
import { axpy } from './axpy';
import { dot, squaredDistance } from './distances';
import { hamerlyIterations, type LloydOutcome } from './kmeansHamerly';
import { seededRandom, type Random } from './random';
import type { DenseMatrix } from './sparse';

/** How to cluster. */
export interface KMeansOptions {
  readonly k: number;
  readonly seed?: number;
  /** Restarts, each from its own seeding; the lowest inertia wins (default 4). */
  readonly restarts?: number;
  readonly maxIterations?: number;
  /** Stop when the centres' total squared shift is below tolerance × the data's mean variance (default 1e-4). */
  readonly tolerance?: number;
  /**
   * 'elkan' (default) keeps a lower bound per row and centre (n×k numbers) and skips the distances they
   * decide; 'hamerly' keeps one lower bound per row (less memory, more distances); 'lloyd' computes all
   * n×k distances each round. All three give the same clustering from the same seed.
   */
  readonly algorithm?: 'elkan' | 'hamerly' | 'lloyd';
}

/** The winning clustering. */
export interface KMeansResult {
  /** Cluster of each row, 0 .. k-1. */
  readonly labels: Int32Array;
  /** k×d centres. */
  readonly centroids: DenseMatrix;
  /** Sum of squared distances of rows to their centres. */
  readonly inertia: number;
  readonly iterations: number;
}

function seedCentres(x: DenseMatrix, k: number, random: Random): Float64Array {
  const { rows: n, cols: d, data } = x;
  const centres = new Float64Array(k * d);
  const first = random.int(n);
  centres.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i] = squaredDistance(data, i * d, centres, 0, d);
  const trials = 2 + Math.floor(Math.log(k));
  // Each candidate's distances, row by row: all candidates are measured in one pass over the data (memory-bound otherwise).
  const candidateDist = Array.from({ length: trials }, () => new Float64Array(n));
  const candidates = new Int32Array(trials);
  const candidatePotential = new Float64Array(trials);
  // |x - y|² = |x|² + |y|² - 2 x·y: one multiply-add per coordinate instead of a subtraction and one, as
  // scikit-learn's euclidean_distances; clamped at zero against cancellation.
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) norms[i] = dot(data, i * d, data, i * d, d);
  for (let c = 1; c < k; c++) {
    for (let t = 0; t < trials; t++) candidates[t] = sampleByWeight(closest, random.next() * potential);
    candidatePotential.fill(0);
    for (let i = 0; i < n; i++) {
      const own = closest[i];
      for (let t = 0; t < trials; t++) {
        const m = candidates[t];
        const dist = Math.min(own, Math.max(0, norms[i] + norms[m] - 2 * dot(data, i * d, data, m * d, d)));
        candidateDist[t][i] = dist;
        candidatePotential[t] += dist;
      }
    }
    // The candidate that lowers the potential most (the first of equals), as scikit-learn's greedy k-means++.
    let best = 0;
    for (let t = 1; t < trials; t++) if (candidatePotential[t] < candidatePotential[best]) best = t;
    centres.set(data.subarray(candidates[best] * d, candidates[best] * d + d), c * d);
    closest.set(candidateDist[best]);
    potential = candidatePotential[best];
  }
  return centres;
}


/** The row at which the running sum of `weights` first exceeds `target` (the last row if it never does). */
function sampleByWeight(weights: Float64Array, target: number): number {
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  return weights.length - 1;
}

function lloyd(x: DenseMatrix, centres: Float64Array, k: number, maxIterations: number, tolerance: number): KMeansResult {
  const { rows: n, cols: d, data } = x;
  const labels = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const centreNorms = new Float64Array(k);
  const rowNorms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[i * d + j] * data[i * d + j];
    rowNorms[i] = s;
  }
  let iterations = 0;
  let inertia = 0;
  for (; iterations < maxIterations; ) {
    iterations++;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += centres[c * d + j] * centres[c * d + j];
      centreNorms[c] = s;
    }
    sums.fill(0);
    counts.fill(0);
    inertia = 0;
    // Assignment by |x|² - 2 x·c + |c|²: one dot product per pair instead of a difference.
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let best = 0;
      let bestDist = Infinity;
      for (let c = 0; c < k; c++) {
        const co = c * d;
        let dot = 0;
        for (let j = 0; j < d; j++) dot += data[o + j] * centres[co + j];
        const dist = centreNorms[c] - 2 * dot;
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      labels[i] = best;
      counts[best]++;
      inertia += Math.max(0, bestDist + rowNorms[i]);
      const so = best * d;
      for (let j = 0; j < d; j++) sums[so + j] += data[o + j];
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      // An emptied cluster keeps its centre rather than becoming NaN.
      if (counts[c] === 0) continue;
      for (let j = 0; j < d; j++) {
        const next = sums[c * d + j] / counts[c];
        const diff = next - centres[c * d + j];
        shift += diff * diff;
        centres[c * d + j] = next;
      }
    }
    if (shift <= tolerance) break;
  }
  // Labels and inertia of the final centres.
  inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      const dist = squaredDistance(data, i * d, centres, c * d, d);
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
    inertia += bestDist;
  }
  return { labels, centroids: { rows: k, cols: d, data: centres }, inertia, iterations };
}

function fromOutcome(outcome: LloydOutcome, d: number): KMeansResult {
  const { labels, centres, inertia, iterations } = outcome;
  return { labels, centroids: { rows: centres.length / d, cols: d, data: centres }, inertia, iterations };
}

/** The mean per-feature variance (as numpy's var: two passes), which scales the convergence tolerance to the data. */
function meanVariance(x: DenseMatrix): number {
  const { rows: n, cols: d, data } = x;
  // Row by row, all columns at once: a column at a time would stride through memory d times.
  const means = new Float64Array(d);
  for (let i = 0; i < n; i++) axpy(means, 0, 1, data, i * d, d);
  for (let j = 0; j < d; j++) means[j] /= n;
  const squares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const diff = data[o + j] - means[j];
      squares[j] += diff * diff;
    }
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += squares[j] / n;
  return total / d;
}

/** Clusters the rows of `x` into `options.k` groups. */
export function kmeans(x: DenseMatrix, options: KMeansOptions): KMeansResult {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1 || k > x.rows) throw new Error(`k must be a whole number from 1 to ${x.rows}, not ${k}`);
  const random = seededRandom(options.seed ?? 0);
  const d = x.cols;
  const tolerance = (options.tolerance ?? 1e-4) * meanVariance(x);
  let best: KMeansResult | undefined;
  for (let r = 0; r < (options.restarts ?? 4); r++) {
    const centres = seedCentres(x, k, random);
    const maxIterations = options.maxIterations ?? 300;
    const algorithm = options.algorithm ?? 'elkan';
    const result =
      algorithm === 'lloyd'
        ? lloyd(x, centres, k, maxIterations, tolerance)
        : fromOutcome((algorithm === 'elkan' ? elkanIterations : hamerlyIterations)(x, centres, k, maxIterations, tolerance), d);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}
