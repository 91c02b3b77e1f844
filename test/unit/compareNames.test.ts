import { strict as assert } from 'node:assert';
import { compareNames } from '../../src/core/dataset/imageFiles';

const TRICKY = [
  'img10.jpg', 'img2.jpg', 'img1.jpg', 'img01.jpg', 'img001.jpg', 'img0.jpg', 'img00.jpg',
  'a01', 'a1', 'a1b', 'a01b', 'a10', 'a9', 'a', 'A', 'A1', 'B', 'b', 'Ab', 'aa', 'aB',
  'é.jpg', 'e.jpg', 'E.jpg', 'z.jpg', '日本.jpg', '🐱.jpg', ' space.jpg', 'img 2.jpg', 'img.2.jpg',
  'x99999999999999999999', 'x100000000000000000000', '', '0', '00', '-1', '1.5', '1.10',
];

/** A seeded shuffle, so a failure can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('compareNames', () => {
  it('puts numbers in natural order', () => {
    assert.deepEqual(['img10.jpg', 'img2.jpg', 'img1.jpg'].sort(compareNames), ['img1.jpg', 'img2.jpg', 'img10.jpg']);
    assert.deepEqual(['a10', 'a9', 'a100', 'b1'].sort(compareNames), ['a9', 'a10', 'a100', 'b1']);
    assert.ok(compareNames('x99999999999999999999', 'x100000000000000000000') < 0, 'numbers beyond 2^53');
    assert.ok(compareNames('page2-part10', 'page2-part9') > 0);
  });

  it('orders equal numbers by their zeros, and only equal strings compare as 0', () => {
    assert.notEqual(compareNames('a1', 'a01'), 0);
    assert.notEqual(compareNames('a01', 'a001'), 0);
    assert.ok(compareNames('a01', 'a2') < 0);
    assert.ok(compareNames('a001', 'a2') < 0);
    for (const a of TRICKY) for (const b of TRICKY) {
      if (a !== b) assert.notEqual(compareNames(a, b), 0, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
    assert.equal(compareNames('img1.jpg', 'img1.jpg'), 0);
  });

  it('is a total order: antisymmetric and transitive over tricky names', () => {
    for (const a of TRICKY) for (const b of TRICKY) {
      assert.equal(Math.sign(compareNames(a, b)) + Math.sign(compareNames(b, a)), 0, `${a} / ${b}`);
      if (compareNames(a, b) >= 0) continue;
      for (const c of TRICKY) {
        if (compareNames(b, c) < 0) assert.ok(compareNames(a, c) < 0, `${a} < ${b} < ${c} but not ${a} < ${c}`);
      }
    }
  });

  it('sorts any shuffle of the tricky names to the same order', () => {
    const reference = [...TRICKY].sort(compareNames);
    for (let seed = 1; seed <= 25; seed++) {
      assert.deepEqual(shuffled(TRICKY, seed).sort(compareNames), reference, `seed ${seed}`);
    }
    assert.deepEqual(reference.slice(0, 3), ['', ' space.jpg', '-1']);
    assert.ok(reference.indexOf('img2.jpg') < reference.indexOf('img10.jpg'));
    assert.ok(reference.indexOf('z.jpg') < reference.indexOf('日本.jpg'));
  });

  it('ignores case except to break ties (apple1 before Apple2, aa before Ab)', () => {
    assert.deepEqual(['Apple2.jpg', 'apple1.jpg', 'apple3.jpg'].sort(compareNames), ['apple1.jpg', 'Apple2.jpg', 'apple3.jpg']);
    assert.deepEqual(['Ab', 'aa', 'ac'].sort(compareNames), ['aa', 'Ab', 'ac']);
    assert.deepEqual(['b', 'B', 'a', 'A'].sort(compareNames), ['A', 'a', 'B', 'b']);
  });
});
