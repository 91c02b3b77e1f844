/**
 * Lloyd's k-means iterations with Hamerly's bounds (Hamerly 2010): each row keeps an upper bound on the
 * distance to its centre and a lower bound on the distance to any other, moved by how far the centres
 * moved; a row whose bounds prove its centre is still nearest costs no distance computation, and the
 * centres' sums change only by the rows that changed cluster. The labels and iteration count are those of
 * plain Lloyd from the same centres, the centres equal to rounding (sums kept up to date, not re-added).
 */
import { axpy } from './axpy';
import { squaredDistance } from './distances';
import type { DenseMatrix } from './sparse';

/** What the iterations end with: labels of the final centres and their inertia. */
export interface LloydOutcome {
  readonly labels: Int32Array;
  readonly centres: Float64Array;
  readonly inertia: number;
  readonly iterations: number;
}

function distance(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  return Math.sqrt(squaredDistance(a, ao, b, bo, d));
}

/**
 * Iterates from `centres` (k×d, replaced in place) until the centres' total squared shift is at most
 * `tolerance` or `maxIterations` assignment-and-update rounds have run, as Lloyd does.
 */
export function hamerlyIterations(x: DenseMatrix, centres: Float64Array, k: number, maxIterations: number, tolerance: number): LloydOutcome {
  const { rows: n, cols: d, data } = x;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const moved = new Float64Array(k);
  const halfGap = new Float64Array(k);
  const previous = new Float64Array(k * d);

  /** Exact nearest and second-nearest centre of row i. */
  const assignFully = (i: number): void => {
    const o = i * d;
    let best = 0;
    let first = Infinity;
    let second = Infinity;
    for (let c = 0; c < k; c++) {
      const dist = distance(data, o, centres, c * d, d);
      if (dist < first) {
        second = first;
        first = dist;
        best = c;
      } else if (dist < second) second = dist;
    }
    const was = labels[i];
    if (best !== was) {
      // The row leaves its cluster's sum for the new one's.
      axpy(sums, was * d, -1, data, o, d);
      axpy(sums, best * d, 1, data, o, d);
      counts[was]--;
      counts[best]++;
      labels[i] = best;
    }
    upper[i] = first;
    lower[i] = second;
  };

  /** One assignment pass that skips the rows whose bounds already decide. */
  const assign = (): void => {
    // Half the distance from each centre to its nearest other: closer than that, no other centre can win.
    for (let c = 0; c < k; c++) {
      let nearest = Infinity;
      for (let c2 = 0; c2 < k; c2++) if (c2 !== c) nearest = Math.min(nearest, distance(centres, c * d, centres, c2 * d, d));
      halfGap[c] = nearest / 2;
    }
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      const bound = Math.max(halfGap[a], lower[i]);
      if (upper[i] <= bound) continue;
      upper[i] = distance(data, i * d, centres, a * d, d);
      if (upper[i] <= bound) continue;
      assignFully(i);
    }
  };

  /** New centres as the means of their rows; the squared shift. */
  const update = (): number => {
    previous.set(centres);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      // An emptied cluster keeps its centre rather than becoming NaN.
      if (counts[c] === 0) {
        moved[c] = 0;
        continue;
      }
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const next = sums[c * d + j] / counts[c];
        const diff = next - centres[c * d + j];
        sq += diff * diff;
        centres[c * d + j] = next;
      }
      shift += sq;
      moved[c] = distance(centres, c * d, previous, c * d, d);
    }
    return shift;
  };

  /** Moves every row's bounds by how far the centres moved. */
  const loosen = (): void => {
    let most = 0;
    let mostAt = -1;
    let runnerUp = 0;
    for (let c = 0; c < k; c++) {
      if (moved[c] > most) {
        runnerUp = most;
        most = moved[c];
        mostAt = c;
      } else if (moved[c] > runnerUp) runnerUp = moved[c];
    }
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      upper[i] += moved[a];
      lower[i] -= a === mostAt ? runnerUp : most;
    }
  };

  // The first assignment is full; the sums then start from the rows themselves.
  for (let i = 0; i < n; i++) assignFully(i);
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    axpy(sums, labels[i] * d, 1, data, i * d, d);
    counts[labels[i]]++;
  }
  let iterations = 0;
  while (iterations < maxIterations) {
    if (iterations > 0) assign();
    iterations++;
    const shift = update();
    loosen();
    if (shift <= tolerance) break;
  }
  // Labels of the final centres, then the inertia exactly.
  assign();
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredDistance(data, i * d, centres, labels[i] * d, d);
  return { labels, centres, inertia, iterations };
}
