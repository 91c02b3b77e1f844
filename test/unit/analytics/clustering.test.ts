import * as assert from 'node:assert/strict';
import { adjustedRand } from '../../../src/core/analytics/adjustedRand';
import { kmeans } from '../../../src/core/analytics/kmeans';
import { seededRandom } from '../../../src/core/analytics/random';
import { silhouette, suggestK } from '../../../src/core/analytics/silhouette';
import type { DenseMatrix } from '../../../src/core/analytics/sparse';
import { sklearnReference } from './sklearnReference';

/** `perCluster` points around each of `k` random centres in `d` dimensions, 50 apart on the first axis (spread 1 by default). */
function gaussianBlobs(k: number, perCluster: number, d: number, seed: number, spread = 1): { x: DenseMatrix; truth: Int32Array } {
  const random = seededRandom(seed);
  const centres = Array.from({ length: k }, (_, c) => Array.from({ length: d }, (_, j) => random.next() * 40 - 20 + (j === 0 ? 50 * c : 0)));
  const n = k * perCluster;
  const data = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // Interleaved so that row order says nothing about the cluster.
    const c = i % k;
    truth[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c][j] + spread * random.gaussian();
  }
  return { x: { rows: n, cols: d, data }, truth };
}

describe('Analytics: k-means, silhouette, adjusted Rand index', () => {
  it('recovers well-separated Gaussian clusters (ARI ≥ 0.95)', () => {
    for (const seed of [1, 2, 3]) {
      const { x, truth } = gaussianBlobs(6, 150, 5, seed);
      const result = kmeans(x, { k: 6, seed });
      const ari = adjustedRand(truth, result.labels);
      assert.ok(ari >= 0.95, `seed ${seed}: ARI ${ari}`);
    }
  });

  it('gives identical results for identical seeds, and restarts never raise the inertia', () => {
    const { x } = gaussianBlobs(8, 60, 4, 7, 6);
    const a = kmeans(x, { k: 8, seed: 42 });
    const b = kmeans(x, { k: 8, seed: 42 });
    assert.deepEqual([...a.labels], [...b.labels]);
    assert.deepEqual([...a.centroids.data], [...b.centroids.data]);
    assert.equal(a.inertia, b.inertia);
    const one = kmeans(x, { k: 8, seed: 42, restarts: 1 });
    assert.ok(kmeans(x, { k: 8, seed: 42, restarts: 8 }).inertia <= one.inertia);
    assert.throws(() => kmeans(x, { k: 0 }), /k must be a whole number/);
  });

  it("Elkan's and Hamerly's bounds give plain Lloyd's clustering from the same seeds, round for round", () => {
    for (const seed of [1, 2, 3]) {
      // Overlapping blobs (15-25 rounds here): many rounds, and rows near the boundaries where a wrong bound would show.
      const { x } = gaussianBlobs(7, 300, 10, seed, 25);
      const lloyd = kmeans(x, { k: 7, seed, restarts: 2, algorithm: 'lloyd' });
      assert.ok(lloyd.iterations >= 8, `seed ${seed}: only ${lloyd.iterations} rounds, too few to exercise the bounds`);
      for (const algorithm of ['elkan', 'hamerly'] as const) {
        const bounded = kmeans(x, { k: 7, seed, restarts: 2, algorithm });
        assert.deepEqual([...bounded.labels], [...lloyd.labels], `${algorithm}, seed ${seed}: labels`);
        assert.equal(bounded.iterations, lloyd.iterations, `${algorithm}, seed ${seed}: rounds`);
        assert.ok(Math.abs(bounded.inertia - lloyd.inertia) <= 1e-9 * lloyd.inertia, `${algorithm}, seed ${seed}: ${bounded.inertia} vs ${lloyd.inertia}`);
        bounded.centroids.data.forEach((v, i) => assert.ok(Math.abs(v - lloyd.centroids.data[i]) < 1e-9, `${algorithm}, seed ${seed}: centre entry ${i}`));
      }
    }
  });

  it('ARI is 1 for the same partition under other names, near 0 for an unrelated one, and as scikit-learn computes it', () => {
    assert.equal(adjustedRand([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]), 1);
    const random = seededRandom(3);
    const a = Array.from({ length: 2000 }, () => random.int(5));
    const b = Array.from({ length: 2000 }, () => random.int(5));
    assert.ok(Math.abs(adjustedRand(a, b)) < 0.02);
    const small = { a: [0, 0, 1, 1, 1, 2, 2, 0], b: [1, 1, 1, 0, 0, 2, 2, 2] };
    const theirs = sklearnReference<number>(`
from sklearn.metrics import adjusted_rand_score
print(json.dumps(adjusted_rand_score(data['a'], data['b'])))`, small);
    assert.ok(Math.abs(adjustedRand(small.a, small.b) - theirs) < 1e-12, `${adjustedRand(small.a, small.b)} vs ${theirs}`);
  });

  it("silhouette equals scikit-learn's, and suggestK finds the number of blobs (on a sample when large)", function () {
    this.timeout(60_000);
    const { x, truth } = gaussianBlobs(3, 20, 2, 11, 3);
    const theirs = sklearnReference<number>(`
from sklearn.metrics import silhouette_score
print(json.dumps(silhouette_score(np.array(data['x']).reshape(-1, 2), data['labels'])))`, { x: [...x.data], labels: [...truth] });
    assert.ok(Math.abs(silhouette(x, truth) - theirs) < 1e-12, `${silhouette(x, truth)} vs ${theirs}`);
    const blobs = gaussianBlobs(5, 400, 3, 5);
    const suggestion = suggestK(blobs.x, { minK: 2, maxK: 8, sampleSize: 500, seed: 1 });
    assert.equal(suggestion.k, 5, JSON.stringify(suggestion.scores));
    assert.deepEqual(suggestion.scores.map((s) => s.k), [2, 3, 4, 5, 6, 7, 8]);
  });
});
