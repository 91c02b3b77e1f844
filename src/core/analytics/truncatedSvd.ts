/**
 * Randomized truncated SVD of a sparse matrix (Halko, Martinsson & Tropp 2011): a seeded Gaussian
 * projection, power iterations re-orthonormalised each time, then the exact SVD of the small projected
 * matrix. Deterministic for a seed; each component's sign is fixed so its largest entry is positive.
 */
import { seededRandom } from './random';
import { sparseTimesDense, sparseTransposeTimesDense, type CsrMatrix, type DenseMatrix } from './sparse';
import { symmetricEigen } from './symmetricEigen';

/** How many components, and how hard to work for them. */
export interface SvdOptions {
  /** At most 50 for the panel; fewer when the matrix has fewer rows or columns. */
  readonly components: number;
  readonly seed?: number;
  /** Extra random directions beyond `components` (default 10). */
  readonly oversampling?: number;
  /** Power iterations (default 5; more sharpens the subspace when singular values decay slowly). */
  readonly powerIterations?: number;
}

/** X ≈ U Σ Vᵀ truncated to k components. */
export interface SvdResult {
  /** The rows projected onto the components, U Σ: n×k (what clustering works on). */
  readonly embedding: DenseMatrix;
  /** Singular values, descending. */
  readonly singularValues: Float64Array;
  /** Vᵀ: k×d, one component per row. */
  readonly components: DenseMatrix;
}

/** Orthonormalises the columns of the row-major n×l matrix in place (modified Gram-Schmidt, twice for stability). */
export function orthonormalizeColumns(y: DenseMatrix): void {
  const { rows: n, cols: l, data } = y;
  // Work on columns as contiguous arrays: Gram-Schmidt walks columns, row-major would stride.
  const cols = Array.from({ length: l }, (_, c) => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = data[i * l + c];
    return col;
  });
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < l; c++) {
      const v = cols[c];
      for (let p = 0; p < c; p++) {
        const u = cols[p];
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm);
      // A dependent column (rank below l) becomes zero rather than noise.
      const scale = norm > 1e-12 ? 1 / norm : 0;
      for (let i = 0; i < n; i++) v[i] *= scale;
    }
  }
  for (let c = 0; c < l; c++) for (let i = 0; i < n; i++) data[i * l + c] = cols[c][i];
}

/** The k leading singular triplets of `x`. */
export function truncatedSvd(x: CsrMatrix, options: SvdOptions): SvdResult {
  const k = Math.min(options.components, x.rows, x.cols);
  if (k < 1) throw new Error(`Cannot reduce a ${x.rows}×${x.cols} matrix to ${options.components} components`);
  const l = Math.min(k + (options.oversampling ?? 10), x.rows, x.cols);
  const random = seededRandom(options.seed ?? 0);
  const omega = new Float64Array(x.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = random.gaussian();
  let q = sparseTimesDense(x, { rows: x.cols, cols: l, data: omega });
  orthonormalizeColumns(q);
  for (let it = 0; it < (options.powerIterations ?? 5); it++) {
    const z = sparseTransposeTimesDense(x, q);
    orthonormalizeColumns(z);
    q = sparseTimesDense(x, z);
    orthonormalizeColumns(q);
  }
  // Bᵀ = Xᵀ Q (d×l); B Bᵀ (l×l) = W Σ² Wᵀ gives B's left singular vectors W and values Σ.
  const bt = sparseTransposeTimesDense(x, q);
  const d = x.cols;
  const gram = new Float64Array(l * l);
  for (let r = 0; r < d; r++) {
    const o = r * l;
    for (let a = 0; a < l; a++) {
      const va = bt.data[o + a];
      if (va === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b] += va * bt.data[o + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a];
  const eig = symmetricEigen(gram, l);
  const singularValues = new Float64Array(k);
  for (let c = 0; c < k; c++) singularValues[c] = Math.sqrt(Math.max(0, eig.values[c]));
  // Vᵀ row c = (Bᵀ w_c)ᵀ / σ_c.
  const components = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    const s = singularValues[c];
    if (s === 0) continue;
    for (let r = 0; r < d; r++) {
      let sum = 0;
      for (let a = 0; a < l; a++) sum += bt.data[r * l + a] * eig.vectors[a * l + c];
      components[c * d + r] = sum / s;
    }
  }
  // X ≈ Q B = (Q W) Σ Vᵀ, so the embedding U Σ is Q W Σ (n×k); then signs are fixed per component.
  const n = x.rows;
  const embedding = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let a = 0; a < l; a++) sum += q.data[i * l + a] * eig.vectors[a * l + c];
      embedding[i * k + c] = sum * singularValues[c];
    }
  }
  for (let c = 0; c < k; c++) {
    let largest = 0;
    for (let r = 0; r < d; r++) if (Math.abs(components[c * d + r]) > Math.abs(largest)) largest = components[c * d + r];
    if (largest < 0) {
      for (let r = 0; r < d; r++) components[c * d + r] = -components[c * d + r];
      for (let i = 0; i < n; i++) embedding[i * k + c] = -embedding[i * k + c];
    }
  }
  return { embedding: { rows: n, cols: k, data: embedding }, singularValues, components: { rows: k, cols: d, data: components } };
}
