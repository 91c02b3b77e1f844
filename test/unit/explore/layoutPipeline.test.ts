import * as assert from 'node:assert/strict';
import { adjustedRand } from '../../../src/core/analytics/adjustedRand';
import { seededRandom } from '../../../src/core/analytics/random';
import { reduceDense } from '../../../src/core/explore/denseReduction';
import type { ExploreInput, ExploreOptions } from '../../../src/core/explore/exploreTypes';
import { ExploreInputError, LayoutCancelledError, layoutReduced, reduceInput, suggestClusterCount } from '../../../src/core/explore/layoutPipeline';

const OPTIONS: ExploreOptions = { k: 4, reducedDims: 50, projection: 'pca', seed: 7, restarts: 4 };

/** `perCluster` vectors around each of `k` random directions in `dims` dimensions (unit-ish, like embeddings). */
export function embeddingBlobs(k: number, perCluster: number, dims: number, seed: number, noise = 0.15): { data: Float32Array; truth: Int32Array } {
  const random = seededRandom(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: dims }, () => random.gaussian()));
  const n = k * perCluster;
  const data = new Float32Array(n * dims);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    truth[i] = c;
    for (let j = 0; j < dims; j++) data[i * dims + j] = centres[c][j] + noise * Math.sqrt(dims) * random.gaussian() / Math.sqrt(dims) * 3;
  }
  return { data, truth };
}

const TOPICS = [
  ['dog', 'puppy', 'leash', 'bark', 'fetch', 'park'],
  ['beach', 'sand', 'wave', 'ocean', 'surf', 'shore'],
  ['mountain', 'snow', 'peak', 'hiking', 'trail', 'summit'],
  ['kitchen', 'chef', 'cooking', 'pan', 'stove', 'recipe'],
];

function topicCaptions(perTopic: number, seed: number): { texts: string[]; truth: Int32Array } {
  const random = seededRandom(seed);
  const texts: string[] = [];
  const truth: number[] = [];
  for (let i = 0; i < perTopic * TOPICS.length; i++) {
    const t = i % TOPICS.length;
    const words = Array.from({ length: 6 }, () => TOPICS[t][random.int(TOPICS[t].length)]);
    texts.push(`a photo of the ${words.join(' ')} in daylight`);
    truth.push(t);
  }
  return { texts, truth: Int32Array.from(truth) };
}

function run(input: ExploreInput, options: ExploreOptions = OPTIONS) {
  return layoutReduced(reduceInput(input, options), options);
}

describe('Explore: the layout pipeline', () => {
  it('clusters captions by topic through TF-IDF and the SVD, and names each cluster by its topic words', () => {
    const { texts, truth } = topicCaptions(60, 3);
    const layout = run({ kind: 'texts', texts });
    assert.equal(layout.count, texts.length);
    assert.ok(adjustedRand(truth, layout.labels) >= 0.95, `ARI ${adjustedRand(truth, layout.labels)}`);
    for (const cluster of layout.clusters) {
      assert.equal(cluster.size, 60);
      const topic = TOPICS.find((words) => words.includes(cluster.terms[0]));
      assert.ok(topic, `cluster ${cluster.id} terms ${cluster.terms.join(' ')}`);
      for (const term of cluster.terms) assert.ok(topic.includes(term), `${term} is not of the topic ${topic.join(' ')}`);
      assert.ok(!cluster.terms.includes('photo') && !cluster.terms.includes('the'));
    }
    assert.ok(layout.explained !== undefined && layout.explained > 0 && layout.explained <= 1);
    for (const key of ['tf-idf', 'reduce', 'cluster', 'project', 'terms']) assert.ok(layout.timings[key] >= 0, key);
  });

  it('recovers well-separated embedding clusters (ARI ≥ 0.95) after reducing 256 dimensions to 20', () => {
    const { data, truth } = embeddingBlobs(5, 80, 256, 11);
    const options = { ...OPTIONS, k: 5, reducedDims: 20 };
    const reduced = reduceInput({ kind: 'vectors', dims: 256, data }, options);
    assert.equal(reduced.embedding.cols, 20);
    const layout = layoutReduced(reduced, options);
    assert.ok(adjustedRand(truth, layout.labels) >= 0.95, `ARI ${adjustedRand(truth, layout.labels)}`);
    assert.deepEqual(layout.clusters.map((c) => c.terms), [[], [], [], [], []]);
  });

  it('seeded runs are identical, UMAP included; another seed may differ but stays valid', () => {
    const { texts } = topicCaptions(30, 5);
    for (const projection of ['pca', 'umap'] as const) {
      const options = { ...OPTIONS, projection };
      const a = run({ kind: 'texts', texts }, options);
      const b = run({ kind: 'texts', texts }, options);
      assert.deepEqual([...a.labels], [...b.labels]);
      assert.deepEqual([...a.x], [...b.x]);
      assert.deepEqual([...a.y], [...b.y]);
      assert.ok([...a.x, ...a.y].every(Number.isFinite));
    }
  });

  it('the dense reduction keeps the leading principal axes (the variance of the first axes matches a full PCA)', () => {
    const random = seededRandom(1);
    const n = 400;
    const m = 60;
    // Variance falls off along the coordinates: axis j has standard deviation 10 / (j + 1).
    const data = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) data[i * m + j] = (10 / (j + 1)) * random.gaussian();
    const reduced = reduceDense({ rows: n, cols: m, data }, 3, 4);
    const variance = (c: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += reduced.data[i * 3 + c] ** 2;
      return s / n;
    };
    const expected = (j: number) => {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += data[i * m + j] / n;
      let s = 0;
      for (let i = 0; i < n; i++) s += (data[i * m + j] - mean) ** 2;
      return s / n;
    };
    assert.ok(variance(0) > variance(1) && variance(1) > variance(2));
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(variance(c) - expected(c)) / expected(c) < 0.1, `axis ${c}: ${variance(c)} vs ${expected(c)}`);
  });

  it('the dense reduction of rows with a scale each equals that of the scaled rows (no unit-length copy needed)', () => {
    const random = seededRandom(8);
    const n = 300;
    const m = 80;
    const data = Float32Array.from({ length: n * m }, (_, p) => (p % m < 5 ? 4 : 1) * random.gaussian());
    const rowScale = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 0.5 + (i % 5)));
    const scaled = Float64Array.from(data, (v, p) => v * rowScale[Math.floor(p / m)]);
    const a = reduceDense({ rows: n, cols: m, data, rowScale }, 6, 2);
    const b = reduceDense({ rows: n, cols: m, data: scaled }, 6, 2);
    assert.equal(a.cols, 6);
    for (let p = 0; p < a.data.length; p++) assert.ok(Math.abs(a.data[p] - b.data[p]) < 1e-9, `entry ${p}: ${a.data[p]} vs ${b.data[p]}`);
  });

  it('k above the number of items is lowered, with a note; two items and one item still lay out', () => {
    const layout = run({ kind: 'texts', texts: ['red apple', 'green pear', 'red cherry'] }, { ...OPTIONS, k: 10 });
    assert.equal(layout.clusters.length, 3);
    assert.match(layout.notes!.join(' '), /10 clusters asked for 3 items: made 3/);
    const one = run({ kind: 'texts', texts: ['a lonely red apple'] });
    assert.equal(one.count, 1);
    assert.deepEqual([...one.labels], [0]);
    assert.ok(Number.isFinite(one.x[0]) && Number.isFinite(one.y[0]));
  });

  it('identical items make a valid layout (no NaN) of as many clusters as distinct items, never an empty cluster', () => {
    const dims = 8;
    const data = new Float32Array(20 * dims).fill(0.5);
    const layout = run({ kind: 'vectors', dims, data }, { ...OPTIONS, k: 3 });
    assert.ok([...layout.x, ...layout.y].every(Number.isFinite));
    assert.deepEqual(layout.clusters, [{ id: 0, size: 20, terms: [] }]);
    assert.deepEqual([...new Set(layout.labels)], [0]);
    assert.match(layout.notes!.join(' '), /only 1 distinct group .*made 1 cluster instead of 3/);
    // Two distinct captions, each many times, and k = 4: two clusters named by their words.
    const texts = [...Array(15).fill('red apple'), ...Array(15).fill('green pear')];
    const two = run({ kind: 'texts', texts }, { ...OPTIONS, k: 4 });
    assert.deepEqual(two.clusters.map((c) => [c.size, [...c.terms].sort().join(' ')]).sort(), [[15, 'apple red'], [15, 'green pear']]);
    assert.ok([...two.labels].every((l) => l === 0 || l === 1));
    assert.equal(two.labels[0] === two.labels[14] && two.labels[15] === two.labels[29] && two.labels[0] !== two.labels[15], true);
  });

  it('UMAP reports its epochs as progress of the projection step', () => {
    const { texts } = topicCaptions(40, 4);
    const done: number[] = [];
    let total = 0;
    const recorder = {
      keepGoing: () => true,
      progress: (stage: string, d: number, t: number) => {
        if (stage !== 'project') return;
        done.push(d);
        total = t;
      },
    };
    const options = { ...OPTIONS, projection: 'umap' as const };
    layoutReduced(reduceInput({ kind: 'texts', texts }, options), options, recorder);
    assert.ok(total > 100, `epochs ${total}`);
    assert.ok(done[done.length - 1] >= total - 2, `last progress ${done[done.length - 1]} of ${total}`);
    assert.ok(done.length > total / 2, `${done.length} progress calls for ${total} epochs`);
    for (let i = 1; i < done.length; i++) assert.ok(done[i] >= done[i - 1]);
  });

  it('refuses what cannot be laid out with a message that says what to do', () => {
    assert.throws(() => reduceInput({ kind: 'texts', texts: [] }, OPTIONS), (e: Error) => e instanceof ExploreInputError && /no images/.test(e.message));
    assert.throws(
      () => reduceInput({ kind: 'texts', texts: ['', 'the of and', '  '] }, OPTIONS),
      (e: Error) => e instanceof ExploreInputError && /no words to compare.*Caption the images first/.test(e.message),
    );
    const bad = new Float32Array([1, 2, NaN, 4]);
    assert.throws(() => reduceInput({ kind: 'vectors', dims: 2, data: bad }, OPTIONS), (e: Error) => e instanceof ExploreInputError && /Item 2's vector holds NaN/.test(e.message));
    assert.throws(() => reduceInput({ kind: 'vectors', dims: 3, data: new Float32Array(4) }, OPTIONS), /4 numbers are not rows of 3/);
    assert.throws(() => reduceInput({ kind: 'vectors', dims: 2, data: new Float32Array(4), texts: ['one'] }, OPTIONS), /2 vectors but 1 captions/);
    const reduced = reduceInput({ kind: 'texts', texts: ['red apple', 'green pear'] }, OPTIONS);
    assert.throws(() => layoutReduced(reduced, { ...OPTIONS, k: 0 }), /whole number/);
    assert.throws(() => suggestClusterCount(reduced, { min: 2, max: 8, seed: 1 }), /at least 3 items/);
  });

  it('user stop words leave the cluster terms', () => {
    const { texts } = topicCaptions(30, 9);
    const layout = run({ kind: 'texts', texts, stopWords: ['dog', 'Beach'] });
    const terms = layout.clusters.flatMap((c) => c.terms);
    assert.ok(!terms.includes('dog') && !terms.includes('beach'), terms.join(' '));
  });

  it('stops at the next step once cancelled', () => {
    const { texts } = topicCaptions(30, 2);
    let steps = 0;
    const cancelling = { progress: () => void steps++, keepGoing: () => steps < 2 };
    assert.throws(() => layoutReduced(reduceInput({ kind: 'texts', texts }, OPTIONS, cancelling), OPTIONS, cancelling), LayoutCancelledError);
  });

  it('Suggest k finds the number of well-separated groups', () => {
    const { data } = embeddingBlobs(4, 50, 32, 21);
    const reduced = reduceInput({ kind: 'vectors', dims: 32, data }, OPTIONS);
    const result = suggestClusterCount(reduced, { min: 2, max: 8, seed: 3 });
    assert.equal(result.best, 4);
    assert.deepEqual(result.scores.map((s) => s.k), [2, 3, 4, 5, 6, 7, 8]);
  });
});
