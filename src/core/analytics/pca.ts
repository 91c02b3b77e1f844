/** PCA of dense rows for display: centred, projected onto the leading eigenvectors of the covariance. */
import type { DenseMatrix } from './sparse';
import { symmetricEigen } from './symmetricEigen';

/** The rows projected to `dims` dimensions (2 for the plot): n×dims, each axis signed so its largest loading is positive. */
export function pca(x: DenseMatrix, dims = 2): DenseMatrix {
  const { rows: n, cols: m, data } = x;
  const k = Math.min(dims, m);
  const mean = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) mean[j] += data[i * m + j];
  for (let j = 0; j < m; j++) mean[j] /= n || 1;
  // The m×m scatter matrix; m is at most the SVD's 50 components, so this is the cheap side.
  const scatter = new Float64Array(m * m);
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) row[j] = data[i * m + j] - mean[j];
    for (let a = 0; a < m; a++) {
      const va = row[a];
      if (va === 0) continue;
      for (let b = a; b < m; b++) scatter[a * m + b] += va * row[b];
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) scatter[a * m + b] = scatter[b * m + a];
  const { vectors } = symmetricEigen(scatter, m);
  const out = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    let largest = 0;
    for (let j = 0; j < m; j++) if (Math.abs(vectors[j * m + c]) > Math.abs(largest)) largest = vectors[j * m + c];
    const sign = largest < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += (data[i * m + j] - mean[j]) * vectors[j * m + c];
      out[i * k + c] = sign * sum;
    }
  }
  return { rows: n, cols: k, data: out };
}
