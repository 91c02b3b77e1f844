import { strict as assert } from 'node:assert';
import { captionMetrics, cocoBleu, nltkCorpusBleu } from '../../../src/core/metrics/captionMetrics';
import { ScoredItem } from '../../../src/core/metrics/metricTypes';
import { countItems, MAX_ORDER, ngramStart } from '../../../src/core/metrics/ngramIndex';

describe('n-gram counting', () => {
  it('counts each distinct n-gram of a sentence once with its number of occurrences', () => {
    const set = countItems([{ id: 'x', candidate: 'a b a b a'.split(' '), references: [['a']] }]);
    const order = (k: number): Array<[number, number]> => {
      const pairs: Array<[number, number]> = [];
      for (let s = ngramStart(set, 0, k); s < ngramStart(set, 0, k + 1); s++) pairs.push([set.ids[s], set.counts[s]]);
      return pairs;
    };
    assert.deepEqual(order(0).map(([, c]) => c), [3, 2]); // a x3, b x2
    assert.deepEqual(order(1).map(([, c]) => c), [2, 2]); // "a b" x2, "b a" x2
    assert.deepEqual(order(2).map(([, c]) => c), [2, 1]); // "a b a" x2, "b a b"
    assert.deepEqual(order(3).map(([, c]) => c), [1, 1]);
    assert.equal(ngramStart(set, 1, 0), ngramStart(set, 0, MAX_ORDER));
    // The reference's "a" is the candidate's "a": one id across the set.
    assert.equal(set.ids[ngramStart(set, 1, 0)], order(0)[0][0]);
  });

  it('ids per image give the same BLEU as ids across the set, also when the table grows mid-image', () => {
    // 700 distinct words make ~2,800 n-grams in one image: past the per-image table's first size (1,024 slots).
    const long = Array.from({ length: 700 }, (_, i) => `w${i}`);
    const items: ScoredItem[] = [
      { id: 'short', candidate: ['a', 'dog', 'runs'], references: [['a', 'dog', 'runs', 'fast'], ['the', 'dog']] },
      { id: 'long', candidate: long.slice(0, 650), references: [long, long.slice(100)] },
      { id: 'after', candidate: ['a', 'cat', 'a', 'cat'], references: [['a', 'cat', 'sleeps', 'a', 'cat']] },
    ];
    const all = captionMetrics(items);
    assert.deepEqual(cocoBleu(items), all.cocoBleu);
    assert.deepEqual(nltkCorpusBleu(items), all.nltkCorpusBleu);
  });
});
