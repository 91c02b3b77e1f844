import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { seededRandom } from '../../../src/core/analytics/random';
import { CANCEL_SLOTS, type ExploreThreadData, type FromExploreThread, type ToExploreThread } from '../../../src/core/explore/exploreProtocol';
import { ExploreCancelledError, ExploreInputError, ExploreRunner, ExploreThreadError } from '../../../src/core/explore/exploreRunner';
import type { ExploreOptions } from '../../../src/core/explore/exploreTypes';
import { embeddingBlobs } from './layoutPipeline.test';

const THREAD = path.join(__dirname, '../../../src/core/explore/exploreThread.js');
const OPTIONS: ExploreOptions = { k: 4, reducedDims: 50, projection: 'pca', seed: 1, restarts: 2 };

/** n unstructured rows: k-means on them is one long step (seconds) with no check inside it. */
function noise(n: number, dims: number): Float32Array {
  const random = seededRandom(5);
  return Float32Array.from({ length: n * dims }, () => random.gaussian());
}

function captions(n: number): string[] {
  const words = ['dog', 'cat', 'beach', 'snow', 'city', 'forest', 'car', 'boat', 'kitchen', 'garden', 'bridge', 'market'];
  return Array.from({ length: n }, (_, i) => `a ${words[i % 12]} and a ${words[(i * 7) % 12]} near the ${words[(i * 5 + 3) % 12]} number${i % 97}`);
}

describe('Explore: the runner and its thread', function () {
  this.timeout(60_000);
  let runner: ExploreRunner;
  beforeEach(() => (runner = new ExploreRunner({ threadPath: THREAD, cancelGraceMs: 500 })));
  afterEach(() => runner.dispose());

  it('lays out in the thread with progress per step; the arrays arrive whole', async () => {
    const stages: string[] = [];
    const layout = await runner.layout({ kind: 'texts', texts: captions(500) }, OPTIONS, { onProgress: (stage) => stages.push(stage) });
    assert.equal(layout.count, 500);
    assert.equal(layout.x.length, 500);
    assert.equal(layout.labels.length, 500);
    assert.ok(layout.x instanceof Float32Array && layout.labels instanceof Int32Array);
    assert.deepEqual([...new Set(stages)], ['tf-idf', 'reduce', 'cluster', 'project', 'terms']);
    assert.equal(layout.clusters.reduce((n, c) => n + c.size, 0), 500);
  });

  it('a change of k alone reuses the reduction kept in the thread (no TF-IDF, no SVD again)', async () => {
    const input = { kind: 'texts' as const, texts: captions(1000) };
    const first = await runner.layout(input, OPTIONS);
    const stages: string[] = [];
    const second = await runner.layout(input, { ...OPTIONS, k: 6, projection: 'umap' }, { onProgress: (stage) => stages.push(stage) });
    assert.ok('reduce' in first.timings);
    assert.deepEqual([...new Set(stages)], ['cluster', 'project', 'terms']);
    assert.equal(second.clusters.length, 6);
    // Another input, or another reduction size, is reduced again.
    const third: string[] = [];
    await runner.layout(input, { ...OPTIONS, reducedDims: 10 }, { onProgress: (stage) => third.push(stage) });
    assert.ok(third.includes('reduce'));
  });

  it('gives the same layout as a run in a fresh thread (seeded)', async () => {
    const input = { kind: 'texts' as const, texts: captions(300) };
    const a = await runner.layout(input, OPTIONS);
    runner.dispose();
    const b = await new ExploreRunner({ threadPath: THREAD }).layout(input, OPTIONS);
    assert.deepEqual([...a.labels], [...b.labels]);
    assert.deepEqual([...a.x], [...b.x]);
  });

  it('a cancelled run rejects as cancelled, and the runner keeps working', async () => {
    const { data } = embeddingBlobs(10, 3000, 64, 3);
    const controller = new AbortController();
    const started = runner.layout({ kind: 'vectors', dims: 64, data }, { ...OPTIONS, k: 10, projection: 'umap' }, {
      signal: controller.signal,
      onProgress: (stage) => stage === 'cluster' && controller.abort(),
    });
    await assert.rejects(started, ExploreCancelledError);
    const next = await runner.layout({ kind: 'texts', texts: captions(50) }, OPTIONS);
    assert.equal(next.count, 50);
    await assert.rejects(runner.layout({ kind: 'texts', texts: captions(50) }, OPTIONS, { signal: AbortSignal.abort() }), ExploreCancelledError);
  });

  it('a run cancelled inside a long step rejects at once; the runs queued behind it finish on a fresh thread', async () => {
    const quick = new ExploreRunner({ threadPath: THREAD, cancelGraceMs: 100 });
    try {
      const controller = new AbortController();
      let cancelledAt = 0;
      const stuck = quick.layout({ kind: 'vectors', dims: 50, data: noise(20_000, 50) }, { ...OPTIONS, k: 20, restarts: 4 }, {
        signal: controller.signal,
        onProgress: (stage) => {
          if (stage !== 'cluster') return;
          cancelledAt = performance.now();
          controller.abort();
        },
      });
      let rejectedAt = 0;
      stuck.catch(() => (rejectedAt = performance.now()));
      const behind = quick.layout({ kind: 'texts', texts: captions(200) }, OPTIONS);
      const [layout] = await Promise.all([behind, assert.rejects(stuck, ExploreCancelledError)]);
      assert.equal(layout.count, 200);
      assert.ok(rejectedAt - cancelledAt < 50, `the cancelled run rejected ${rejectedAt - cancelledAt} ms after the cancel`);
      // The fresh thread keeps that input's reduction: the next k skips TF-IDF and the SVD.
      const stages: string[] = [];
      await quick.layout({ kind: 'texts', texts: captions(200) }, { ...OPTIONS, k: 3 }, { onProgress: (stage) => stages.push(stage) });
      assert.ok(!stages.includes('reduce'), stages.join(' '));
    } finally {
      quick.dispose();
    }
  });

  it('the thread drops every cancelled request still queued, not only the last one cancelled', async () => {
    const cancel = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));
    const data: ExploreThreadData = { cancel: cancel.buffer as SharedArrayBuffer, progressMs: 100 };
    const thread = new Worker(THREAD, { workerData: data });
    try {
      const answers = new Map<number, FromExploreThread['kind']>();
      const done = new Promise<void>((resolve, reject) => {
        thread.on('error', reject);
        thread.on('message', (message: FromExploreThread) => {
          if (message.kind === 'progress') return;
          answers.set(message.id, message.kind);
          if (answers.size === 4) resolve();
        });
      });
      const input = { kind: 'texts' as const, texts: captions(3000) };
      const send = (id: number, inputId: string): void => thread.postMessage({ kind: 'layout', id, inputId, input, options: OPTIONS } satisfies ToExploreThread);
      send(1, 'a');
      send(2, 'b');
      send(3, 'c');
      send(4, 'd');
      // Requests 2 and 3 are cancelled while the thread still works on 1.
      Atomics.store(cancel, 2 % CANCEL_SLOTS, 2);
      Atomics.store(cancel, 3 % CANCEL_SLOTS, 3);
      await done;
      assert.deepEqual([...answers.entries()].sort(), [[1, 'layout'], [2, 'cancelled'], [3, 'cancelled'], [4, 'layout']]);
    } finally {
      await thread.terminate();
    }
  });

  it('input the user must change rejects as ExploreInputError with its message', async () => {
    await assert.rejects(runner.layout({ kind: 'texts', texts: ['', 'the and'] }, OPTIONS), (e: Error) => e instanceof ExploreInputError && /no words to compare/.test(e.message));
    const layout = await runner.layout({ kind: 'texts', texts: captions(20) }, OPTIONS);
    assert.equal(layout.count, 20);
  });

  it('a thread that dies fails its run with a clear error, and the next run starts a fresh thread', async () => {
    const broken = new ExploreRunner({ threadPath: path.join(__dirname, 'no-such-thread.js') });
    await assert.rejects(broken.layout({ kind: 'texts', texts: captions(10) }, OPTIONS), (e: Error) => e instanceof ExploreThreadError && /stopped unexpectedly/.test(e.message));
    broken.dispose();
    // A run over a huge input is ended from outside (as an out-of-memory kill would); the runner recovers.
    const pending = runner.layout({ kind: 'texts', texts: captions(20_000) }, OPTIONS);
    setTimeout(() => (runner as unknown as { thread: { terminate(): void } }).thread.terminate(), 50);
    await assert.rejects(pending, ExploreThreadError);
    assert.equal((await runner.layout({ kind: 'texts', texts: captions(30) }, OPTIONS)).count, 30);
  });

  it('Suggest k answers in the thread', async () => {
    const { data } = embeddingBlobs(4, 50, 32, 21);
    const result = await runner.suggestK({ kind: 'vectors', dims: 32, data }, { min: 2, max: 6, seed: 3, reducedDims: 50 });
    assert.equal(result.best, 4);
    assert.deepEqual(result.scores.map((s) => s.k), [2, 3, 4, 5, 6]);
  });

  it('the input id changes with any text, stop word or vector value', () => {
    const base = ExploreRunner.inputId({ kind: 'texts', texts: ['a b', 'c'] });
    assert.equal(base, ExploreRunner.inputId({ kind: 'texts', texts: ['a b', 'c'] }));
    assert.notEqual(base, ExploreRunner.inputId({ kind: 'texts', texts: ['a', 'b c'] }));
    assert.notEqual(base, ExploreRunner.inputId({ kind: 'texts', texts: ['a b', 'c'], stopWords: ['c'] }));
    const v = ExploreRunner.inputId({ kind: 'vectors', dims: 2, data: new Float32Array([1, 2, 3, 4]) });
    assert.notEqual(v, ExploreRunner.inputId({ kind: 'vectors', dims: 2, data: new Float32Array([1, 2, 3, 5]) }));
    assert.notEqual(v, ExploreRunner.inputId({ kind: 'vectors', dims: 4, data: new Float32Array([1, 2, 3, 4]) }));
  });
});
