import * as assert from 'node:assert/strict';
import { pca } from '../../../src/core/analytics/pca';
import { seededRandom } from '../../../src/core/analytics/random';
import { gramTimesDense, toDense, type CsrMatrix } from '../../../src/core/analytics/sparse';
import { luNormalizeColumns, truncatedSvd } from '../../../src/core/analytics/truncatedSvd';
import { sklearnReference } from './sklearnReference';

/** A seeded sparse matrix, about a third of its entries non-zero. */
function sparseMatrix(rows: number, cols: number, seed: number): CsrMatrix {
  const random = seededRandom(seed);
  const rowStart = new Int32Array(rows + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (random.next() < 0.35) {
        colIndex.push(j);
        values.push(random.next());
      }
    }
    rowStart[i + 1] = colIndex.length;
  }
  return { rows, cols, rowStart, colIndex: Int32Array.from(colIndex), values: Float64Array.from(values) };
}

/** Asserts two n×k column sets equal up to the sign of each column. */
function assertEqualUpToSign(ours: Float64Array, theirs: number[][], k: number, tolerance: number, what: string): void {
  for (let c = 0; c < k; c++) {
    const sign = Math.sign(theirs[0][c]) * Math.sign(ours[c]) || 1;
    theirs.forEach((row, i) => {
      const diff = Math.abs(ours[i * k + c] - sign * row[c]);
      assert.ok(diff < tolerance, `${what} (${i}, ${c}): ${ours[i * k + c]} vs ${sign * row[c]}`);
    });
  }
}

describe('Analytics: truncated SVD and PCA', () => {
  for (const method of ['exact', 'randomized'] as const) it(`truncated SVD (${method}) agrees with scikit-learn's TruncatedSVD(algorithm='arpack') up to sign`, function () {
    this.timeout(60_000);
    const x = sparseMatrix(40, 25, 9);
    const k = 5;
    // Randomized and oversampled to all 25 columns, the projection spans the row space: exact, not approximate.
    const ours = truncatedSvd(x, { components: k, seed: 3, oversampling: 20, method });
    const theirs = sklearnReference<{ embedding: number[][]; values: number[]; components: number[][] }>(`
from sklearn.decomposition import TruncatedSVD
x = np.array(data['x'])
svd = TruncatedSVD(n_components=data['k'], algorithm='arpack')
e = svd.fit_transform(x)
print(json.dumps({'embedding': e.tolist(), 'values': svd.singular_values_.tolist(), 'components': svd.components_.tolist()}))
`, { x: chunk([...toDense(x).data], 25), k });
    theirs.values.forEach((v, c) => assert.ok(Math.abs(ours.singularValues[c] - v) < 1e-8, `σ${c}: ${ours.singularValues[c]} vs ${v}`));
    assertEqualUpToSign(ours.embedding.data, theirs.embedding, k, 1e-7, 'U Σ');
    // Components as columns (d×k) for the same comparison.
    const componentsT = new Float64Array(25 * k);
    for (let c = 0; c < k; c++) for (let j = 0; j < 25; j++) componentsT[j * k + c] = ours.components.data[c * 25 + j];
    assertEqualUpToSign(componentsT, transpose(theirs.components), k, 1e-7, 'Vᵀ');
  });

  for (const [rows, cols] of [[300, 200], [200, 300]]) it(`randomized SVD of a ${rows}×${cols} matrix (projection narrower than both sides) finds arpack's leading values and vectors`, function () {
    this.timeout(60_000);
    // Rows from a few strong directions plus sparse noise: singular values that decay, as with captions.
    const random = seededRandom(21);
    const basis = Array.from({ length: 6 }, () => Array.from({ length: cols }, () => (random.next() < 0.3 ? random.gaussian() : 0)));
    const noise = sparseMatrix(rows, cols, 22);
    const dense = toDense(noise).data.map((v) => v * 0.2);
    for (let i = 0; i < rows; i++) {
      basis.forEach((b, r) => {
        const weight = random.gaussian() * (6 - r);
        for (let j = 0; j < cols; j++) dense[i * cols + j] += weight * b[j];
      });
    }
    const x = fromDense(dense, rows, cols);
    const k = 5;
    const ours = truncatedSvd(x, { components: k, seed: 5, method: 'randomized' });
    const theirs = sklearnReference<{ embedding: number[][]; values: number[] }>(`
from sklearn.decomposition import TruncatedSVD
svd = TruncatedSVD(n_components=data['k'], algorithm='arpack')
e = svd.fit_transform(np.array(data['x']))
print(json.dumps({'embedding': e.tolist(), 'values': svd.singular_values_.tolist()}))
`, { x: chunk([...dense], cols), k });
    theirs.values.forEach((v, c) => assert.ok(Math.abs(ours.singularValues[c] - v) < 1e-6 * v, `σ${c}: ${ours.singularValues[c]} vs ${v}`));
    assertEqualUpToSign(ours.embedding.data, theirs.embedding, k, 1e-5 * theirs.values[0], 'U Σ');
  });

  it("LU normalisation gives scipy's lu(permute_l=True) factor, and XᵀX B in one pass equals the two products", function () {
    this.timeout(60_000);
    const random = seededRandom(17);
    const n = 30;
    const l = 6;
    const y = Float64Array.from({ length: n * l }, () => random.gaussian());
    const original = [...y];
    luNormalizeColumns({ rows: n, cols: l, data: y });
    const x = sparseMatrix(n, 12, 18);
    const b = Float64Array.from({ length: 12 * l }, () => random.gaussian());
    const theirs = sklearnReference<{ pl: number[][]; gram: number[][] }>(`
import scipy.linalg
pl, _ = scipy.linalg.lu(np.array(data['y']), permute_l=True)
x = np.array(data['x'])
print(json.dumps({'pl': pl.tolist(), 'gram': (x.T @ (x @ np.array(data['b']))).tolist()}))
`, { y: chunk(original, l), x: chunk([...toDense(x).data], 12), b: chunk([...b], l) });
    theirs.pl.forEach((row, i) => row.forEach((v, c) => assert.ok(Math.abs(y[i * l + c] - v) < 1e-12, `P L (${i}, ${c}): ${y[i * l + c]} vs ${v}`)));
    const gram = gramTimesDense(x, { rows: 12, cols: l, data: b });
    theirs.gram.forEach((row, i) => row.forEach((v, c) => assert.ok(Math.abs(gram.data[i * l + c] - v) < 1e-12, `XᵀXB (${i}, ${c})`)));
  });

  it('truncated SVD is deterministic for a seed and signed so each component’s largest entry is positive', () => {
    const x = sparseMatrix(60, 30, 4);
    const a = truncatedSvd(x, { components: 8, seed: 1, method: 'randomized' });
    assert.deepEqual([...a.embedding.data], [...truncatedSvd(x, { components: 8, seed: 1, method: 'randomized' }).embedding.data]);
    for (let c = 0; c < 8; c++) {
      const row = [...a.components.data.subarray(c * 30, c * 30 + 30)];
      const largest = row.reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
      assert.ok(largest > 0);
    }
    assert.equal(truncatedSvd(x, { components: 100 }).embedding.cols, 30, 'no more components than columns');
  });

  it('PCA to 2-D agrees with numpy.linalg.svd of the centred matrix up to sign', function () {
    this.timeout(60_000);
    const random = seededRandom(8);
    const n = 30;
    const m = 6;
    const data = Float64Array.from({ length: n * m }, (_, i) => random.gaussian() * (1 + (i % m)));
    const ours = pca({ rows: n, cols: m, data }, 2);
    const theirs = sklearnReference<number[][]>(`
x = np.array(data['x']); x = x - x.mean(axis=0)
u, s, vt = np.linalg.svd(x, full_matrices=False)
print(json.dumps((u[:, :2] * s[:2]).tolist()))
`, { x: chunk([...data], m) });
    assertEqualUpToSign(ours.data, theirs, 2, 1e-9, 'PCA');
  });
});

/** The dense row-major matrix as CSR (its zeros left out). */
function fromDense(data: Float64Array, rows: number, cols: number): CsrMatrix {
  const rowStart = new Int32Array(rows + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (data[i * cols + j] !== 0) {
        colIndex.push(j);
        values.push(data[i * cols + j]);
      }
    }
    rowStart[i + 1] = colIndex.length;
  }
  return { rows, cols, rowStart, colIndex: Int32Array.from(colIndex), values: Float64Array.from(values) };
}

function chunk(values: number[], width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, i) => values.slice(i * width, (i + 1) * width));
}

function transpose(rows: number[][]): number[][] {
  return rows[0].map((_, j) => rows.map((row) => row[j]));
}
