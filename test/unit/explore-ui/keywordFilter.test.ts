import * as assert from 'node:assert/strict';
import { starsText } from '../../../src/webviews/ui/starsText';
import { isFilterError, matchIndices, matchItem, matchItems, parseFilter, splitKeywords, type FilterSpec } from '../../../src/webviews/ui/explore/keywordFilter';

const items = {
  relPaths: ['pets/dog1.jpg', 'pets/cat.png', 'cars/red car.jpg', 'cars/Blue.jpg', 'misc/empty.jpg'],
  captions: ['A Dog on the beach with a red ball', 'a cat asleep on a sofa', 'a red car in the street', 'a blue car, parked', ''],
};

function matched(text: string, mode: 'any' | 'all' | 'query'): number[] {
  const spec = parseFilter(text, mode);
  if (isFilterError(spec)) throw new Error(spec.error);
  const { matches, count } = matchItems(spec, items);
  assert.ok(matches);
  const indices = matchIndices(matches);
  assert.equal(count, indices.length);
  return indices;
}

describe('Explore panel: keyword filter', () => {
  it('splits comma-separated keywords, trimming and dropping blanks and repeats (ignoring case)', () => {
    assert.deepEqual(splitKeywords(' red car, ,Dog,dog ,  beach '), ['red car', 'Dog', 'beach']);
    assert.deepEqual(splitKeywords(',, ,'), []);
  });

  it('OR matches a caption containing any keyword, AND only those containing all, case-insensitively', () => {
    assert.deepEqual(matched('red, cat', 'any'), [0, 1, 2]);
    assert.deepEqual(matched('RED, car', 'all'), [2]);
    assert.deepEqual(matched('red car', 'any'), [2], 'a keyword with a space is one phrase');
    assert.deepEqual(matched('zebra', 'any'), []);
  });

  it('blank text (or only commas) is no filter: nothing is highlighted', () => {
    for (const text of ['', '   ', ' , ,']) {
      const spec = parseFilter(text, 'any');
      assert.ok(!isFilterError(spec));
      assert.deepEqual(matchItems(spec, items), { matches: null, count: 0 });
    }
  });

  it('reads the dataset filter language: fields, negation, OR, lengths and empty captions', () => {
    assert.deepEqual(matched('car -blue', 'query'), [2]);
    assert.deepEqual(matched('caption:dog | name:cat*', 'query'), [0, 1]);
    assert.deepEqual(matched('path:cars/*', 'query'), [2, 3]);
    assert.deepEqual(matched('words>6', 'query'), [0]);
    assert.deepEqual(matched('empty', 'query'), [4]);
  });

  it('knows the ratings and second captions of the items: rating>=N, rating=0 and caption2: as in the Dataset view', () => {
    const curated = { ...items, ratings: Uint8Array.of(5, 0, 3, 4, 0), secondCaptions: ['1girl, beach', '', 'car, red', 'car, blue, night', 'solo'] };
    const query = (text: string): number[] => {
      const spec = parseFilter(text, 'query') as FilterSpec;
      return matchIndices(matchItems(spec, curated).matches!);
    };
    assert.deepEqual(query('rating>=4'), [0, 3]);
    assert.deepEqual(query('rating=0'), [1, 4]);
    assert.deepEqual(query('rating:3'), [2]);
    assert.deepEqual(query('caption2:car'), [2, 3]);
    assert.deepEqual(query('caption2:car rating>=4'), [3]);
    assert.deepEqual(query('rating'), [], 'a bare word is still a search for the word');
    // without the columns every item is unrated and has no second caption
    assert.deepEqual(matched('rating=0', 'query'), [0, 1, 2, 3, 4]);
    assert.deepEqual(matched('caption2:car', 'query'), []);
    // one item tested again (after its caption changed) sees the same columns
    const spec = parseFilter('caption2:night rating>=4', 'query') as FilterSpec;
    assert.equal(matchItem(spec as Exclude<FilterSpec, { kind: 'none' }>, curated, 3), true);
    assert.equal(matchItem(spec as Exclude<FilterSpec, { kind: 'none' }>, curated, 0), false);
  });

  it('a gallery card shows a star per rating point, nothing when unrated', () => {
    assert.equal(starsText(0), '');
    assert.equal(starsText(3), '★★★');
    assert.equal(starsText(5), '★★★★★');
  });

  it('says where the filter language is wrong instead of throwing', () => {
    const spec = parseFilter('dog (cat', 'query');
    assert.ok(isFilterError(spec));
    assert.match(spec.error, /\)|close|paren/i);
    assert.equal(typeof spec.position, 'number');
    // The same text read as keywords is fine.
    assert.ok(!isFilterError(parseFilter('dog (cat', 'any')));
  });

  it('matches 100,000 captions in well under a frame budget per keystroke pause', () => {
    const many = { relPaths: Array.from({ length: 100_000 }, (_, i) => `d/${i}.jpg`), captions: Array.from({ length: 100_000 }, (_, i) => `a photo of item ${i} with a ${i % 7 ? 'dog' : 'cat'}`) };
    const spec = parseFilter('cat, zebra', 'any');
    assert.ok(!isFilterError(spec));
    const started = performance.now();
    const { count } = matchItems(spec, many);
    const ms = performance.now() - started;
    assert.equal(count, Math.ceil(100_000 / 7));
    assert.ok(ms < 500, `took ${ms.toFixed(0)} ms`);
  });
});
