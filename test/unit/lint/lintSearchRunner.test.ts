import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { LintSearchCancelledError, LintSearchError, LintSearchRunner } from '../../../src/core/lint/lintSearchRunner';

const THREAD = path.resolve(__dirname, '../../../src/core/lint/lintSearchThread.js');

/** `count` seeded random rows of `dims` (xorshift), row 7 a near copy of row 3. */
function vectors(count: number, dims: number): Float32Array {
  const data = new Float32Array(count * dims);
  let state = 12345;
  for (let k = 0; k < data.length; k++) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    data[k] = ((state >>> 0) / 2 ** 32) * 2 - 1;
  }
  for (let d = 0; d < dims; d++) data[7 * dims + d] = data[3 * dims + d] * 1.01 + (d === 0 ? 0.01 : 0);
  return data;
}

describe('lint search thread', function () {
  this.timeout(30_000);
  let runner: LintSearchRunner;
  beforeEach(() => (runner = new LintSearchRunner(THREAD)));
  afterEach(() => runner.dispose());

  it('finds the planted near-duplicate embeddings and nothing among random ones', async () => {
    const found = await runner.nearDuplicateVectors(vectors(50, 16), 16, 0.95);
    assert.deepEqual(found, { pairs: [{ i: 3, j: 7 }], exact: true });
    const clean = vectors(50, 16).subarray(0, 7 * 16).slice();
    assert.deepEqual(await runner.nearDuplicateVectors(clean, 16, 0.95), { pairs: [], exact: true });
  });

  it('finds hashes within the distance, and none beyond it', async () => {
    const hashes = BigUint64Array.from([0xf0f0f0f0f0f0f0f0n, 0x0123456789abcdefn, 0xf0f0f0f0f0f0f0f3n, 0xffffffff00000000n]);
    assert.deepEqual(await runner.hammingNeighbours(hashes.slice(), 2), [{ i: 0, j: 2 }]);
    assert.deepEqual(await runner.hammingNeighbours(hashes.slice(), 1), []);
  });

  it('reports bad input as an error and keeps serving', async () => {
    await assert.rejects(runner.nearDuplicateVectors(new Float32Array(10), 3, 0.9), (err: Error) => err instanceof LintSearchError && /10 numbers are not rows of 3/.test(err.message));
    assert.deepEqual(await runner.hammingNeighbours(BigUint64Array.from([1n, 3n]), 1), [{ i: 0, j: 1 }]);
  });

  it('a cancelled search stops at once (its thread ended) and the next search runs in a fresh thread', async () => {
    // LSH over 20,000 vectors of 256 numbers takes seconds
    const abort = new AbortController();
    const started = Date.now();
    const search = runner.nearDuplicateVectors(vectors(20_000, 256), 256, 0.95, abort.signal, 100);
    setTimeout(() => abort.abort(), 200);
    await assert.rejects(search, LintSearchCancelledError);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms to stop`);
    assert.deepEqual(await runner.hammingNeighbours(BigUint64Array.from([0n, 1n]), 1), [{ i: 0, j: 1 }]);
    await assert.rejects(runner.hammingNeighbours(BigUint64Array.from([0n]), 1, AbortSignal.abort()), LintSearchCancelledError);
  });

  it('a thread that cannot start fails the search with the reason', async () => {
    const broken = new LintSearchRunner(path.join(__dirname, 'no-such-thread.js'));
    await assert.rejects(broken.hammingNeighbours(BigUint64Array.from([0n]), 1), LintSearchError);
    broken.dispose();
  });
});
