/**
 * Randomized truncated SVD of a sparse matrix (Halko, Martinsson & Tropp 2011): a seeded Gaussian
 * projection, power iterations re-orthonormalised each time, then the exact SVD of the small projected
 * matrix. Deterministic for a seed; each component's sign is fixed so its largest entry is positive.
 */
import { axpy } from './axpy';
import { seededRandom } from './random';
import { gramTimesDense, sparseTimesDense, sparseTransposeTimesDense, type CsrMatrix, type DenseMatrix } from './sparse';
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

/**
 * Replaces the row-major n×l matrix in place by P L from its LU factorisation with partial pivoting (what
 * scikit-learn's power iterations use, `lu(permute_l=True)`): the same column span, columns kept apart,
 * at half the cost of Gram-Schmidt. Rows are never swapped: pivot rows are marked instead.
 */
export function luNormalizeColumns(y: DenseMatrix): void {
  const { rows: n, cols: l, data } = y;
  const used = new Uint8Array(n);
  for (let j = 0; j < l && j < n; j++) {
    let pivot = -1;
    let largest = -1;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const a = Math.abs(data[i * l + j]);
      if (a > largest) {
        largest = a;
        pivot = i;
      }
    }
    used[pivot] = 1;
    const po = pivot * l;
    // A zero pivot (the column already dependent) leaves the remaining rows' multipliers at zero.
    const inverse = largest > 0 ? 1 / data[po + j] : 0;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const o = i * l;
      const m = data[o + j] * inverse;
      data[o + j] = m;
      if (m !== 0) axpy(data, o + j + 1, -m, data, po + j + 1, l - j - 1);
    }
    // The pivot row of L: 1 on the diagonal, 0 to its right (its left holds earlier multipliers).
    data[po + j] = 1;
    for (let c = j + 1; c < l; c++) data[po + c] = 0;
  }
}

/** YᵀY (l×l) for the row-major n×l matrix Y. */
function gramOf(y: DenseMatrix): Float64Array {
  const { rows: n, cols: l, data } = y;
  const gram = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const va = data[o + a];
      if (va !== 0) axpy(gram, a * l + a, va, data, o + a, l - a);
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a];
  return gram;
}

/** Tᵀ M T for l×l row-major T and symmetric M. */
function congruence(t: Float64Array, m: Float64Array, l: number): Float64Array {
  const mt = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = 0; b < l; b++) {
      const value = m[a * l + b];
      if (value === 0) continue;
      for (let c = 0; c < l; c++) mt[a * l + c] += value * t[b * l + c];
    }
  }
  const out = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = 0; b < l; b++) {
      const value = t[b * l + a];
      if (value === 0) continue;
      for (let c = 0; c < l; c++) out[a * l + c] += value * mt[b * l + c];
    }
  }
  // Symmetric in exact arithmetic; averaged so rounding cannot hand the eigen-solver an asymmetric matrix.
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) out[a * l + b] = out[b * l + a] = (out[a * l + b] + out[b * l + a]) / 2;
  return out;
}

/**
 * T (l×l, row-major) such that Y T has orthonormal columns spanning Y's range, from the eigen-decomposition
 * of the Gram matrix YᵀY = V Λ Vᵀ (T = V Λ^-1/2): Y itself is never needed, only its Gram matrix.
 * Directions with negligible eigenvalues (Y short of full rank) get a zero column.
 */
export function orthonormalizingTransform(gram: Float64Array, l: number): Float64Array {
  const { values, vectors } = symmetricEigen(gram, l);
  const t = new Float64Array(l * l);
  for (let c = 0; c < l; c++) {
    if (!(values[c] > 1e-12 * values[0])) continue;
    const scale = 1 / Math.sqrt(values[c]);
    for (let a = 0; a < l; a++) t[a * l + c] = vectors[a * l + c] * scale;
  }
  return t;
}

/**
 * The randomized range of X as Xᵀ Y (d×l) and YᵀY (l×l) for a basis Y (n×l) of X (XᵀX)^p Ω, the subspace
 * scikit-learn's randomized_range_finder finds. With more rows than columns the power iterations run on
 * the d side as z ← LU(XᵀX z), each a single fused pass over X, and Y = X z is never formed:
 * Xᵀ Y = XᵀX z and YᵀY = zᵀ XᵀX z.
 */
function randomizedRange(x: CsrMatrix, l: number, powerIterations: number, seed: number): { xty: DenseMatrix; gram: Float64Array } {
  const random = seededRandom(seed);
  const omega = new Float64Array(x.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = random.gaussian();
  let z: DenseMatrix = { rows: x.cols, cols: l, data: omega };
  if (x.rows >= x.cols) {
    // Two d×l buffers in turn: the product of one pass is the input of the next.
    let spare: Float64Array = new Float64Array(x.cols * l);
    for (let it = 0; it < powerIterations; it++) {
      const next = gramTimesDense(x, z, spare);
      spare = z.data;
      z = next;
      luNormalizeColumns(z);
    }
    const xty = gramTimesDense(x, z, spare);
    const gram = new Float64Array(l * l);
    for (let r = 0; r < x.cols; r++) {
      const o = r * l;
      for (let a = 0; a < l; a++) {
        const za = z.data[o + a];
        if (za !== 0) axpy(gram, a * l + a, za, xty.data, o + a, l - a);
      }
    }
    // Symmetric in exact arithmetic (zᵀ XᵀX z): the upper triangle is mirrored.
    for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a];
    return { xty, gram };
  }
  // Fewer rows than columns: iterate on the n side, y ← LU(X Xᵀ y).
  let y = sparseTimesDense(x, z);
  for (let it = 0; it < powerIterations; it++) {
    luNormalizeColumns(y);
    y = sparseTimesDense(x, sparseTransposeTimesDense(x, y));
  }
  return { xty: sparseTransposeTimesDense(x, y), gram: gramOf(y) };
}

/** The k leading singular triplets of `x`. */
export function truncatedSvd(x: CsrMatrix, options: SvdOptions): SvdResult {
  const k = Math.min(options.components, x.rows, x.cols);
  if (k < 1) throw new Error(`Cannot reduce a ${x.rows}×${x.cols} matrix to ${options.components} components`);
  const l = Math.min(k + (options.oversampling ?? 10), x.rows, x.cols);
  // A small vocabulary makes the exact route cheaper than the randomized one: Xᵀ X is only d×d.
  const method = options.method ?? 'auto';
  if (method === 'exact' || (method === 'auto' && x.cols <= EXACT_MAX_COLUMNS)) return signFixed(exactSvd(x, k));
  const { xty, gram: yGram } = randomizedRange(x, l, options.powerIterations ?? 5, options.seed ?? 0);
  // Q = Y T with orthonormal columns, never formed: Bᵀ = Xᵀ Q = (Xᵀ Y) T.
  const t = orthonormalizingTransform(yGram, l);
  // B Bᵀ = Tᵀ (XᵀY)ᵀ(XᵀY) T (l×l) = W Σ² Wᵀ gives B's left singular vectors W and values Σ, without forming Bᵀ (d×l).
  const d = x.cols;
  const bbt = congruence(t, gramOf(xty), l);
  const eig = symmetricEigen(bbt, l);
  const singularValues = new Float64Array(k);
  for (let c = 0; c < k; c++) singularValues[c] = Math.sqrt(Math.max(0, eig.values[c]));
  // V = Bᵀ W Σ⁻¹ = (XᵀY) (T W Σ⁻¹): the l×k factor first, then one d×l×k product.
  const factor = new Float64Array(l * k);
  for (let a = 0; a < l; a++) {
    for (let c = 0; c < k; c++) {
      const s = singularValues[c];
      if (s === 0) continue;
      let sum = 0;
      for (let b = 0; b < l; b++) sum += t[a * l + b] * eig.vectors[b * l + c];
      factor[a * k + c] = sum / s;
    }
  }
  const v = new Float64Array(d * k);
  for (let r = 0; r < d; r++) {
    const o = r * l;
    const vo = r * k;
    for (let a = 0; a < l; a++) {
      const value = xty.data[o + a];
      if (value !== 0) axpy(v, vo, value, factor, a * k, k);
    }
  }
  const components = new Float64Array(k * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < k; c++) components[c * d + r] = v[r * k + c];
  // X ≈ Q B = (Q W) Σ Vᵀ, so the embedding U Σ = X V: a sparse product (nnz×k) instead of the dense Q W Σ (n×l×k).
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
