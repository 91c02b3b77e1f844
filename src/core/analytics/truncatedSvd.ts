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
  /** 'auto' (default) is exact up to 160 columns and randomized beyond. */
  readonly method?: 'auto' | 'exact' | 'randomized';
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
export function orthonormalizeColumns(y: DenseMatrix, passes = 2): void {
  const { rows: n, cols: l, data } = y;
  // Work on columns as contiguous arrays: Gram-Schmidt walks columns, row-major would stride.
  const cols = Array.from({ length: l }, (_, c) => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = data[i * l + c];
    return col;
  });
  for (let pass = 0; pass < passes; pass++) {
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

/**
 * T (l×l, row-major) such that Y T has orthonormal columns spanning Y's range, from the eigen-decomposition
 * of the Gram matrix YᵀY = V Λ Vᵀ (T = V Λ^-1/2): one pass over Y's rows instead of Gram-Schmidt's many.
 * Directions with negligible eigenvalues (Y short of full rank) get a zero column.
 */
export function orthonormalizingTransform(y: DenseMatrix): Float64Array {
  const { rows: n, cols: l, data } = y;
  const gram = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const va = data[o + a];
      if (va === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b] += va * data[o + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a];
  const { values, vectors } = symmetricEigen(gram, l);
  const t = new Float64Array(l * l);
  for (let c = 0; c < l; c++) {
    if (!(values[c] > 1e-12 * values[0])) continue;
    const scale = 1 / Math.sqrt(values[c]);
    for (let a = 0; a < l; a++) t[a * l + c] = vectors[a * l + c] * scale;
  }
  return t;
}

/** The k leading singular triplets of `x`. */
export function truncatedSvd(x: CsrMatrix, options: SvdOptions): SvdResult {
  const k = Math.min(options.components, x.rows, x.cols);
  if (k < 1) throw new Error(`Cannot reduce a ${x.rows}×${x.cols} matrix to ${options.components} components`);
  const l = Math.min(k + (options.oversampling ?? 10), x.rows, x.cols);
  // A small vocabulary makes the exact route cheaper than the randomized one: Xᵀ X is only d×d.
  const method = options.method ?? 'auto';
  if (method === 'exact' || (method === 'auto' && x.cols <= EXACT_MAX_COLUMNS)) return signFixed(exactSvd(x, k));
  const random = seededRandom(options.seed ?? 0);
  const omega = new Float64Array(x.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = random.gaussian();
  // Power iterations only have to keep the subspace well conditioned, so each round re-orthonormalises the
  // smaller side (d×l or n×l): for captions n ≫ d, and orthonormalising n×l is where the time would go.
  const smallerIsRows = x.rows < x.cols;
  let q = sparseTimesDense(x, { rows: x.cols, cols: l, data: omega });
  for (let it = 0; it < (options.powerIterations ?? 5); it++) {
    // one pass is enough between power iterations: it only keeps the columns from collapsing onto
    // the leading direction; the final basis is made orthonormal exactly (orthonormalizingTransform)
    if (smallerIsRows) orthonormalizeColumns(q, 1);
    const z = sparseTransposeTimesDense(x, q);
    if (!smallerIsRows) orthonormalizeColumns(z, 1);
    q = sparseTimesDense(x, z);
  }
  // Q = Y T with orthonormal columns, never formed: Bᵀ = Xᵀ Q = (Xᵀ Y) T and U Σ = Y (T W Σ) use T alone.
  const t = orthonormalizingTransform(q);
  // Bᵀ = Xᵀ Q (d×l); B Bᵀ (l×l) = W Σ² Wᵀ gives B's left singular vectors W and values Σ.
  const xty = sparseTransposeTimesDense(x, q);
  const d = x.cols;
  const bt = new Float64Array(d * l);
  for (let r = 0; r < d; r++) {
    for (let a = 0; a < l; a++) {
      const v = xty.data[r * l + a];
      if (v === 0) continue;
      for (let c = 0; c < l; c++) bt[r * l + c] += v * t[a * l + c];
    }
  }
  const gram = new Float64Array(l * l);
  for (let r = 0; r < d; r++) {
    const o = r * l;
    for (let a = 0; a < l; a++) {
      const va = bt[o + a];
      if (va === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b] += va * bt[o + b];
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
      for (let a = 0; a < l; a++) sum += bt[r * l + a] * eig.vectors[a * l + c];
      components[c * d + r] = sum / s;
    }
  }
  // X ≈ Q B = (Q W) Σ Vᵀ, so the embedding U Σ is Y T W Σ (n×k); the l×k factor T W Σ is formed first.
  // U Σ = X V: a sparse product (nnz x k) instead of the dense Q T W Σ (n x l x k)
  const v = new Float64Array(d * k);
  for (let c = 0; c < k; c++) for (let r = 0; r < d; r++) v[r * k + c] = components[c * d + r];
  const embedding = sparseTimesDense(x, { rows: d, cols: k, data: v }).data;
  const n = x.rows;
  return signFixed({ embedding: { rows: n, cols: k, data: embedding }, singularValues, components: { rows: k, cols: d, data: components } });
}

/** Up to this many columns the SVD comes exactly from the eigen-decomposition of Xᵀ X. */
const EXACT_MAX_COLUMNS = 160;

/** The exact k leading triplets from Xᵀ X = V Σ² Vᵀ (X's rows are sparse, so Xᵀ X costs Σ row-nnz²). */
function exactSvd(x: CsrMatrix, k: number): SvdResult {
  const d = x.cols;
  const gram = new Float64Array(d * d);
  for (let i = 0; i < x.rows; i++) {
    for (let p = x.rowStart[i]; p < x.rowStart[i + 1]; p++) {
      const a = x.colIndex[p] * d;
      const va = x.values[p];
      for (let r = x.rowStart[i]; r < x.rowStart[i + 1]; r++) gram[a + x.colIndex[r]] += va * x.values[r];
    }
  }
  const eig = symmetricEigen(gram, d);
  const singularValues = new Float64Array(k);
  const components = new Float64Array(k * d);
  const v = new Float64Array(d * k);
  for (let c = 0; c < k; c++) {
    singularValues[c] = Math.sqrt(Math.max(0, eig.values[c]));
    for (let r = 0; r < d; r++) components[c * d + r] = v[r * k + c] = eig.vectors[r * d + c];
  }
  const embedding = sparseTimesDense(x, { rows: d, cols: k, data: v });
  return { embedding, singularValues, components: { rows: k, cols: d, data: components } };
}

/** Each component signed so its largest entry is positive (and its embedding column with it): deterministic output. */
function signFixed(result: SvdResult): SvdResult {
  const { rows: k, cols: d, data: components } = result.components;
  const { rows: n, data: embedding } = result.embedding;
  for (let c = 0; c < k; c++) {
    let largest = 0;
    for (let r = 0; r < d; r++) if (Math.abs(components[c * d + r]) > Math.abs(largest)) largest = components[c * d + r];
    if (largest < 0) {
      for (let r = 0; r < d; r++) components[c * d + r] = -components[c * d + r];
      for (let i = 0; i < n; i++) embedding[i * k + c] = -embedding[i * k + c];
    }
  }
  return result;
}
