import * as assert from 'node:assert/strict';
import { clusterTerms } from '../../../src/core/analytics/clusterTerms';
import { tfidf } from '../../../src/core/analytics/tfidf';
import { WordTally, wordCounts, wordCountsByGroup } from '../../../src/core/analytics/wordCounts';

describe('Analytics: word counts and distinctive terms', () => {
  const texts = ['A dog and a dog on grass', 'The cat on the grass', 'dog, CAT; dog!', 'a red car', 'red car, red light'];

  it('counts each word exactly, most frequent first then by code point, without stop words', () => {
    assert.deepEqual(wordCounts(texts), [
      { word: 'dog', count: 4 }, { word: 'red', count: 3 }, { word: 'car', count: 2 }, { word: 'cat', count: 2 },
      { word: 'grass', count: 2 }, { word: 'light', count: 1 },
    ]);
    assert.deepEqual(wordCounts(texts, { limit: 2, stopWords: new Set(['dog']) }), [{ word: 'red', count: 3 }, { word: 'car', count: 2 }]);
    assert.deepEqual(wordCounts(['the and of']), []);
  });

  it('a limited table is the first rows of the full one, ties included, whatever the limit', () => {
    const vocabulary = ['ant', 'bee', 'cow', 'doe', 'eel', 'fox', 'gnu', 'hen', 'ibis', 'jay'];
    const corpus = Array.from({ length: 300 }, (_, i) => `${vocabulary[i % 10]} ${vocabulary[(i * 3) % 7]} ${vocabulary[(i * i) % 10]} w${i % 37}`);
    const full = wordCounts(corpus);
    for (const limit of [0, 1, 2, 5, 9, 10, 11, 30, full.length - 1, full.length, full.length + 5]) {
      assert.deepEqual(wordCounts(corpus, { limit }), full.slice(0, limit), `limit ${limit}`);
    }
    const tally = new WordTally();
    for (const text of corpus) tally.add(text);
    assert.equal(tally.size, full.length);
    assert.deepEqual(tally.table(), full);
  });

  it('counts per group, leaving out texts of no group (-1)', () => {
    const byGroup = wordCountsByGroup(texts, [0, 0, 0, 1, -1]);
    assert.deepEqual([...byGroup.keys()].sort(), [0, 1]);
    assert.deepEqual(byGroup.get(1), [{ word: 'car', count: 1 }, { word: 'red', count: 1 }]);
    assert.deepEqual(byGroup.get(0)?.[0], { word: 'dog', count: 4 });
    assert.throws(() => wordCountsByGroup(texts, [0]), /5 texts but 1 group labels/);
  });

  it("names a cluster by the terms whose mean weight in it most exceeds the mean outside", () => {
    const { matrix, vocabulary } = tfidf(texts);
    const labels = [0, 0, 0, 1, 1];
    const pets = clusterTerms(matrix, vocabulary, labels, 0, 3).map((t) => t.term);
    const cars = clusterTerms(matrix, vocabulary, labels, 1, 3).map((t) => t.term);
    assert.deepEqual(new Set(pets), new Set(['dog', 'cat', 'grass']));
    assert.deepEqual(new Set(cars), new Set(['red', 'car', 'light']));
    assert.equal(cars[0], 'red', 'in both texts and twice in one');
    assert.deepEqual(clusterTerms(matrix, vocabulary, labels, 7), [], 'an empty cluster has no terms');
  });
});
