/** A compressed sparse row matrix and the products the SVD needs, on typed arrays. */
import { axpy } from './axpy';

/** Rows × cols matrix; row i's entries are `values[rowStart[i] .. rowStart[i+1])` at columns `colIndex[...]`. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly rowStart: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

/** A dense row-major matrix. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** X · B for sparse X (n×d) and dense B (d×l): an n×l dense matrix. */
export function sparseTimesDense(x: CsrMatrix, b: DenseMatrix): DenseMatrix {
  if (x.cols !== b.rows) throw new Error(`Cannot multiply ${x.rows}×${x.cols} by ${b.rows}×${b.cols}`);
  const l = b.cols;
  const out = new Float64Array(x.rows * l);
  for (let i = 0; i < x.rows; i++) {
    const o = i * l;
    for (let p = x.rowStart[i]; p < x.rowStart[i + 1]; p++) {
      axpy(out, o, x.values[p], b.data, x.colIndex[p] * l, l);
    }
  }
  return { rows: x.rows, cols: l, data: out };
}

/** Xᵀ · Y for sparse X (n×d) and dense Y (n×l): a d×l dense matrix. */
export function sparseTransposeTimesDense(x: CsrMatrix, y: DenseMatrix): DenseMatrix {
  if (x.rows !== y.rows) throw new Error(`Cannot multiply (${x.rows}×${x.cols})ᵀ by ${y.rows}×${y.cols}`);
  const l = y.cols;
  const out = new Float64Array(x.cols * l);
  for (let i = 0; i < x.rows; i++) {
    const r = i * l;
    for (let p = x.rowStart[i]; p < x.rowStart[i + 1]; p++) {
      axpy(out, x.colIndex[p] * l, x.values[p], y.data, r, l);
    }
  }
  return { rows: x.cols, cols: l, data: out };
}

/** The sparse matrix as dense rows (for small matrices in tests and the PCA of a few points). */
export function toDense(x: CsrMatrix): DenseMatrix {
  const data = new Float64Array(x.rows * x.cols);
  for (let i = 0; i < x.rows; i++) {
    for (let p = x.rowStart[i]; p < x.rowStart[i + 1]; p++) data[i * x.cols + x.colIndex[p]] = x.values[p];
  }
  return { rows: x.rows, cols: x.cols, data };
}

/**
 * Xᵀ · (X · B) for sparse X (n×d) and dense B (d×l) in one pass over X's rows: each row's X·B is formed
 * in an l-long buffer and scattered straight back, so the n×l intermediate never exists (d×l stays in cache).
 */
export function gramTimesDense(x: CsrMatrix, b: DenseMatrix, into?: Float64Array): DenseMatrix {
  if (x.cols !== b.rows) throw new Error(`Cannot multiply ${x.rows}×${x.cols} by ${b.rows}×${b.cols}`);
  const l = b.cols;
  const bd = b.data;
  if (into === bd) throw new Error('The product cannot overwrite its own input');
  // A caller iterating reuses one buffer (`into`, d×l, overwritten) instead of a new one per pass.
  const out = into ?? new Float64Array(x.cols * l);
  out.fill(0);
  const row = new Float64Array(l);
  const { rowStart, colIndex, values } = x;
  for (let i = 0; i < x.rows; i++) {
    const start = rowStart[i];
    const end = rowStart[i + 1];
    if (start === end) continue;
    row.fill(0);
    for (let p = start; p < end; p++) axpy(row, 0, values[p], bd, colIndex[p] * l, l);
    for (let p = start; p < end; p++) axpy(out, colIndex[p] * l, values[p], row, 0, l);
  }
  return { rows: x.cols, cols: l, data: out };
}
