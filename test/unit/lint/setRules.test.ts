import { strict as assert } from 'node:assert';
import { exactDuplicateGroups } from '../../../src/core/lint/duplicates';
import { hammingNeighbours, pairGroups, type HashPair } from '../../../src/core/lint/hammingNeighbours';
import { lintCaptions } from '../../../src/core/lint/lintCaptions';
import { lintConfig } from '../../../src/core/lint/lintConfig';
import { nearDuplicateVectors } from '../../../src/core/lint/nearDuplicateVectors';

/** Seeded so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('caption lint rules across a set', () => {
  it('groups exact duplicates by normalised whitespace and case, blank captions left out', () => {
    const groups = exactDuplicateGroups(['A dog', 'a cat', ' a  DOG\n', '', 'A cat', 'bird', '  ']);
    assert.deepEqual(groups, [{ key: 'a dog', members: [0, 2] }, { key: 'a cat', members: [1, 4] }]);
    assert.deepEqual(exactDuplicateGroups(['a', 'b']), []);
  });

  it('reports each duplicate with the ids of the others', () => {
    const captions = ['a dog', 'A dog', 'a cat', 'a dog '].map((text, k) => ({ id: `img${k}.txt`, text }));
    const { problems } = lintCaptions(captions);
    const duplicates = problems.map((ps) => ps.filter((p) => p.rule === 'duplicate').map((p) => p.message));
    assert.deepEqual(duplicates, [['Same caption as img1.txt, img3.txt.'], ['Same caption as img0.txt, img3.txt.'], [], ['Same caption as img0.txt, img1.txt.']]);
  });

  it('near-duplicate captions: the exact scan and the LSH buckets agree with brute force on random data', () => {
    const next = random(7);
    const dims = 32;
    const vectors: number[][] = [];
    for (let k = 0; k < 600; k++) vectors.push(Array.from({ length: dims }, () => next() - 0.5));
    // 60 planted near-copies: tiny noise on a random earlier vector.
    for (let k = 0; k < 60; k++) vectors.push(vectors[Math.floor(next() * 600)].map((x) => x + (next() - 0.5) * 0.02));
    const minCosine = 0.95;
    const brute: string[] = [];
    const norm = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    for (let i = 0; i < vectors.length; i++) {
      for (let j = i + 1; j < vectors.length; j++) {
        const cos = vectors[i].reduce((s, x, d) => s + x * vectors[j][d], 0) / (norm(vectors[i]) * norm(vectors[j]));
        if (cos >= minCosine) brute.push(`${i}-${j}`);
      }
    }
    assert.ok(brute.length >= 60, `planted pairs found by brute force: ${brute.length}`);
    const exact = nearDuplicateVectors(vectors, { minCosine });
    assert.equal(exact.exact, true);
    assert.deepEqual(exact.pairs.map((p) => `${p.i}-${p.j}`), brute);
    const bucketed = nearDuplicateVectors(vectors, { minCosine, exactLimit: 0 });
    assert.equal(bucketed.exact, false);
    assert.deepEqual(bucketed.pairs.map((p) => `${p.i}-${p.j}`), brute);
  });

  it('near-duplicate images: multi-index Hamming search agrees with brute force', () => {
    const next = random(11);
    const word = (): bigint => BigInt(Math.floor(next() * 2 ** 32));
    const hashes: bigint[] = [];
    for (let k = 0; k < 400; k++) hashes.push((word() << 32n) | word());
    for (let k = 0; k < 80; k++) {
      let h = hashes[Math.floor(next() * 400)];
      for (let f = Math.floor(next() * 7); f > 0; f--) h ^= 1n << BigInt(Math.floor(next() * 64));
      hashes.push(h);
    }
    const bits = (x: bigint): number => x.toString(2).split('').filter((c) => c === '1').length;
    for (const max of [0, 2, 4, 6]) {
      const brute: string[] = [];
      for (let i = 0; i < hashes.length; i++) {
        for (let j = i + 1; j < hashes.length; j++) if (bits(hashes[i] ^ hashes[j]) <= max) brute.push(`${i}-${j}:${bits(hashes[i] ^ hashes[j])}`);
      }
      assert.ok(brute.length > 0);
      assert.deepEqual(hammingNeighbours(hashes, max).map((p) => `${p.i}-${p.j}:${p.distance}`), brute, `max ${max}`);
    }
  });

  it('groups pairs into connected sets', () => {
    const pairs: HashPair[] = [{ i: 3, j: 5, distance: 1 }, { i: 1, j: 5, distance: 0 }, { i: 7, j: 8, distance: 2 }];
    assert.deepEqual(pairGroups(pairs), [[1, 3, 5], [7, 8]]);
  });

  it('model-based rules run only with their inputs and name the other members', () => {
    const captions = ['a dog', 'a puppy', 'a car', 'a cat'].map((text, k) => ({ id: `c${k}`, text }));
    assert.deepEqual(lintCaptions(captions).problems.flat(), []);
    const { problems } = lintCaptions(captions, {
      models: {
        captionEmbeddings: [[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0, 1]],
        imageHashes: [0b1111n, undefined, 0b0111n, 0xffff0000n],
        clipScores: [31, 12.04, undefined, 15],
      },
    });
    const rules = problems.map((ps) => ps.map((p) => `${p.rule}: ${p.message}`));
    assert.deepEqual(rules, [
      ['near-duplicate-caption: Caption nearly the same in meaning as c1.', 'near-duplicate-image: Image nearly the same as the images of c2.'],
      ['near-duplicate-caption: Caption nearly the same in meaning as c0.', 'low-clip-score: CLIP score 12.0 is below 15: the caption may not describe the image.'],
      ['near-duplicate-image: Image nearly the same as the images of c0.'],
      [],
    ]);
    const off = lintConfig({ lowClipScore: { level: 'off' }, nearDuplicateCaptions: { minCosine: 0.999 } });
    assert.deepEqual(lintCaptions(captions, { config: off, models: { captionEmbeddings: [[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0, 1]], clipScores: [0, 0, 0, 0] } }).problems.flat(), []);
  });
});
