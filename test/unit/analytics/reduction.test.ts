import * as assert from 'node:assert/strict';
import { pca } from '../../../src/core/analytics/pca';
import { seededRandom } from '../../../src/core/analytics/random';
import { toDense, type CsrMatrix } from '../../../src/core/analytics/sparse';
import { truncatedSvd } from '../../../src/core/analytics/truncatedSvd';
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

function chunk(values: number[], width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, i) => values.slice(i * width, (i + 1) * width));
}

function transpose(rows: number[][]): number[][] {
  return rows[0].map((_, j) => rows.map((row) => row[j]));
}
