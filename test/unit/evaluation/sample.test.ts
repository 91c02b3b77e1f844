import { strict as assert } from 'node:assert';
import { drawSample } from '../../../src/core/evaluation/sample';

describe('evaluation sample', () => {
  const pool = Array.from({ length: 50 }, (_, i) => `img${String(i).padStart(2, '0')}.jpg`);

  it('the same seed and pool give the same sample, whatever order the pool was listed in', () => {
    const a = drawSample(pool, 10, 1);
    const b = drawSample([...pool].reverse(), 10, 1);
    assert.equal(a.length, 10);
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, 10);
    assert.ok(a.every((id) => pool.includes(id)));
  });

  it('another seed gives another sample', () => {
    assert.notDeepEqual(drawSample(pool, 10, 1), drawSample(pool, 10, 2));
  });

  it('a size at or above the pool takes every image; 0 takes none', () => {
    assert.deepEqual(drawSample(pool, 50, 7), [...pool].sort());
    assert.deepEqual(drawSample(pool, 500, 7), [...pool].sort());
    assert.deepEqual(drawSample(pool, 0, 7), []);
  });

  it('draws every image about equally often over many seeds (no image is favoured by its place in the pool)', () => {
    const ten = pool.slice(0, 10);
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 2000; seed++) for (const id of drawSample(ten, 3, seed)) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of ten) assert.ok(Math.abs(counts.get(id)! - 600) < 90, `${id} drawn ${counts.get(id)} times of an expected 600`);
  });
});
