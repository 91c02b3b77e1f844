import * as assert from 'node:assert/strict';
import { clipScore, formatScore, isFlagged, sortResults, summarize, type ClipScoreResult } from '../../../src/core/embeddings/clipScore';

const vec = (...values: number[]): Float32Array => Float32Array.from(values);

describe('CLIP score', () => {
  it('is 100 × cosine, clamped at 0, and independent of vector length', () => {
    assert.equal(clipScore(vec(1, 0), vec(1, 0)), 100);
    assert.equal(clipScore(vec(1, 0), vec(0, 1)), 0);
    assert.equal(clipScore(vec(1, 0), vec(-1, 0)), 0, 'negative cosine counts as 0');
    assert.ok(Math.abs(clipScore(vec(3, 0), vec(2, 2)) - 100 * Math.SQRT1_2) < 1e-4);
    assert.equal(clipScore(vec(0, 0), vec(1, 0)), 0);
    assert.throws(() => clipScore(vec(1), vec(1, 0)), /differ in size/);
  });

  const results: ClipScoreResult[] = [
    { imagePath: '/d/img10.jpg', captionPath: '/d/img10.txt', score: 30 },
    { imagePath: '/d/img2.jpg', captionPath: '/d/img2.txt', score: 12.34 },
    { imagePath: '/d/img1.jpg', captionPath: '/d/img1.txt', error: 'Could not decode' },
    { imagePath: '/d/a.jpg', captionPath: '/d/a.txt', score: 15 },
  ];

  it('sorts by ascending score with errors first, or by natural name', () => {
    assert.deepEqual(sortResults(results, 'score').map((r) => r.imagePath), ['/d/img1.jpg', '/d/img2.jpg', '/d/a.jpg', '/d/img10.jpg']);
    assert.deepEqual(sortResults(results, 'name').map((r) => r.imagePath), ['/d/a.jpg', '/d/img1.jpg', '/d/img2.jpg', '/d/img10.jpg']);
    assert.equal(results[0].imagePath, '/d/img10.jpg', 'the input is not reordered');
  });

  it('flags scores strictly below the threshold, never errors, and counts them', () => {
    assert.deepEqual(results.map((r) => isFlagged(r, 15)), [false, true, false, false]);
    assert.deepEqual(summarize(results, 15), { scored: 3, below: 1, errors: 1 });
    assert.deepEqual(summarize(results, 31), { scored: 3, below: 3, errors: 1 });
    assert.equal(formatScore(23.449), '23.4');
  });
});
