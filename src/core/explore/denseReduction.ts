/**
 * Reduces dense vectors (image descriptors, model embeddings of 164 to 2,048 numbers) to at most 50
 * dimensions for k-means: PCA whose axes come from a randomized range finder on a seeded sample of the
 * rows (the axes of 5,000 rows are those of 100,000 to within noise), then every row projected onto them.
 * A full m×m eigen-decomposition would cost minutes for m = 768; this costs one pass over the data.
 * Rows may come with a scale each (1 / their length): the unit rows are never copied whole, which for
 * 100,000 rows of 2,048 float32s would be a 1.6 GB float64 copy of a 0.8 GB input.
 */
import { seededRandom } from '../analytics/random';
import { dot } from '../analytics/distances';
import type { DenseMatrix } from '../analytics/sparse';
import { symmetricEigen } from '../analytics/symmetricEigen';

/** Rows used to find the axes. */
const AXIS_SAMPLE = 5000;
const OVERSAMPLING = 10;
const POWER_ITERATIONS = 3;

/** A row-major n×m matrix whose row i counts as `rowScale[i]` times what is stored (1 when absent). */
export interface ScaledRows {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array | Float64Array;
  readonly rowScale?: Float64Array;
}

/** Rows of `x` (n×m, scaled) centred and projected onto their `dims` leading principal axes: n×min(dims, m, n). */
export function reduceDense(x: ScaledRows, dims: number, seed: number): DenseMatrix {
  const { rows: n, cols: m, data } = x;
  const scale = (i: number): number => (x.rowScale ? x.rowScale[i] : 1);
  const mean = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const s = scale(i);
    for (let j = 0; j < m; j++) mean[j] += s * data[i * m + j];
  }
  for (let j = 0; j < m; j++) mean[j] /= n || 1;
  const sample = centredSample(x, mean, seed);
  const s = sample.length / m;
  const k = Math.min(dims, m, s);
  const l = Math.min(k + OVERSAMPLING, m, s);
  const random = seededRandom(seed ^ 0x5bd1e995);
  // Y = S Ω (s×l), sharpened by power iterations Y ← S Sᵀ Y, kept orthonormal between them.
  let y = new Float64Array(s * l);
  const omega = new Float64Array(m * l);
  for (let p = 0; p < omega.length; p++) omega[p] = random.gaussian();
  multiply(sample, s, m, omega, l, y);
  orthonormalize(y, s, l);
  const z = new Float64Array(m * l);
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    transposeMultiply(sample, s, m, y, l, z);
    y = new Float64Array(s * l);
    multiply(sample, s, m, z, l, y);
    orthonormalize(y, s, l);
  }
  // B = Yᵀ S (l×m); the axes are the leading eigenvectors of Bᵀ B, found from the small B Bᵀ (l×l).
  transposeMultiply(sample, s, m, y, l, z); // z = Sᵀ Y = Bᵀ (m×l)
  const bbt = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += z[j * l + a] * z[j * l + b];
      bbt[a * l + b] = bbt[b * l + a] = sum;
    }
  }
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  // Axis c = Bᵀ u_c / σ_c, signed so its largest loading is positive (the same axes on every run).
  const axes = new Float64Array(k * m);
  for (let c = 0; c < k; c++) {
    const e = order[c];
    const sigma = Math.sqrt(Math.max(values[e], 0));
    if (sigma === 0) continue;
    let largest = 0;
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let a = 0; a < l; a++) sum += z[j * l + a] * vectors[a * l + e];
      axes[c * m + j] = sum / sigma;
      if (Math.abs(axes[c * m + j]) > Math.abs(largest)) largest = axes[c * m + j];
    }
    if (largest < 0) for (let j = 0; j < m; j++) axes[c * m + j] = -axes[c * m + j];
  }
  // Each row centred once into `row`, then k dot products with four running sums (the whole pass is
  // n·m·k multiply-adds: 5 G for 100,000 rows of 1,024).
  const out = new Float64Array(n * k);
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const s = scale(i);
    for (let j = 0; j < m; j++) row[j] = s * data[i * m + j] - mean[j];
    for (let c = 0; c < k; c++) out[i * k + c] = dot(row, 0, axes, c * m, m);
  }
  return { rows: n, cols: k, data: out };
}

function centredSample(x: ScaledRows, mean: Float64Array, seed: number): Float64Array {
  const { rows: n, cols: m, data } = x;
  const size = Math.min(n, AXIS_SAMPLE);
  const random = seededRandom(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Float64Array(size * m);
  for (let i = 0; i < size; i++) {
    const j = size === n ? i : i + random.int(n - i);
    [order[i], order[j]] = [order[j], order[i]];
    const s = x.rowScale ? x.rowScale[order[i]] : 1;
    for (let c = 0; c < m; c++) out[i * m + c] = s * data[order[i] * m + c] - mean[c];
  }
  return out;
}

/** out (r×l) = a (r×m) · b (m×l). */
function multiply(a: Float64Array, r: number, m: number, b: Float64Array, l: number, out: Float64Array): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < m; j++) {
      const v = a[i * m + j];
      if (v === 0) continue;
      for (let c = 0; c < l; c++) out[i * l + c] += v * b[j * l + c];
    }
  }
}

/** out (m×l) = aᵀ (m×r) · y (r×l). */
function transposeMultiply(a: Float64Array, r: number, m: number, y: Float64Array, l: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < m; j++) {
      const v = a[i * m + j];
      if (v === 0) continue;
      for (let c = 0; c < l; c++) out[j * l + c] += v * y[i * l + c];
    }
  }
}

/** Modified Gram-Schmidt on the l columns of the row-major r×l matrix; a dependent column becomes zero. */
function orthonormalize(y: Float64Array, r: number, l: number): void {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let d = 0;
      for (let i = 0; i < r; i++) d += y[i * l + c] * y[i * l + p];
      for (let i = 0; i < r; i++) y[i * l + c] -= d * y[i * l + p];
    }
    let norm = 0;
    for (let i = 0; i < r; i++) norm += y[i * l + c] * y[i * l + c];
    norm = Math.sqrt(norm);
    for (let i = 0; i < r; i++) y[i * l + c] = norm > 1e-12 ? y[i * l + c] / norm : 0;
  }
}
