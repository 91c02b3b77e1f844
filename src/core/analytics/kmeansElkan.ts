/**
 * Lloyd's k-means iterations with Elkan's bounds (Elkan 2003): each row keeps an upper bound on the
 * distance to its centre and a lower bound on the distance to every centre, all moved by how far the
 * centres moved, and half the distance between two centres rules the farther one out. A row costs
 * distance computations only for the centres its bounds cannot rule out. The labels and iteration count
 * are those of plain Lloyd from the same centres, the centres equal to rounding.
 */
import { axpy } from './axpy';
import type { LloydOutcome } from './kmeansHamerly';
import { squaredDistance } from './distances';
import type { DenseMatrix } from './sparse';

function distance(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  return Math.sqrt(squaredDistance(a, ao, b, bo, d));
}

/**
 * Iterates from `centres` (k×d, replaced in place) until the centres' total squared shift is at most
 * `tolerance` or `maxIterations` assignment-and-update rounds have run, as Lloyd does.
 */
export function elkanIterations(x: DenseMatrix, centres: Float64Array, k: number, maxIterations: number, tolerance: number): LloydOutcome {
  const { rows: n, cols: d, data } = x;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const moved = new Float64Array(k);
  const halfApart = new Float64Array(k * k);
  const halfGap = new Float64Array(k);
  const previous = new Float64Array(k * d);

  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      const dist = distance(data, i * d, centres, c * d, d);
      lower[i * k + c] = dist;
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
    upper[i] = bestDist;
    axpy(sums, best * d, 1, data, i * d, d);
    counts[best]++;
  }

  /** One assignment pass: distances only to the centres the bounds leave in play. */
  const assign = (): void => {
    for (let c = 0; c < k; c++) {
      let nearest = Infinity;
      for (let c2 = 0; c2 < k; c2++) {
        if (c2 === c) continue;
        const half = distance(centres, c * d, centres, c2 * d, d) / 2;
        halfApart[c * k + c2] = half;
        if (half < nearest) nearest = half;
      }
      halfGap[c] = nearest;
    }
    for (let i = 0; i < n; i++) {
      const was = labels[i];
      let a = was;
      let u = upper[i];
      if (u <= halfGap[a]) continue;
      const lo = i * k;
      let tight = false;
      for (let c = 0; c < k; c++) {
        if (c === a || u <= lower[lo + c] || u <= halfApart[a * k + c]) continue;
        if (!tight) {
          u = distance(data, i * d, centres, a * d, d);
          lower[lo + a] = u;
          tight = true;
          if (u <= lower[lo + c] || u <= halfApart[a * k + c]) continue;
        }
        const dist = distance(data, i * d, centres, c * d, d);
        lower[lo + c] = dist;
        // Strictly closer, or as close and earlier: Lloyd's choice among equals.
        if (dist < u || (dist === u && c < a)) {
          a = c;
          u = dist;
        }
      }
      upper[i] = u;
      if (a !== was) {
        axpy(sums, was * d, -1, data, i * d, d);
        axpy(sums, a * d, 1, data, i * d, d);
        counts[was]--;
        counts[a]++;
        labels[i] = a;
      }
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
      moved[c] = Math.sqrt(sq);
    }
    return shift;
  };

  /** Moves every row's bounds by how far the centres moved. */
  const loosen = (): void => {
    for (let i = 0; i < n; i++) {
      upper[i] += moved[labels[i]];
      const lo = i * k;
      for (let c = 0; c < k; c++) {
        const next = lower[lo + c] - moved[c];
        lower[lo + c] = next > 0 ? next : 0;
      }
    }
  };

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
