import { strict as assert } from 'node:assert';
import { compileQuery, describeQuery, parseQuery, QuerySyntaxError, queryNeedsCaptions } from '../../../src/core/dataset/query';
import type { QuerySubject } from '../../../src/core/dataset/query';

const subject = (relPath: string, rating?: number, caption = 'a cat'): QuerySubject => ({ name: relPath, relPath, caption, hasCaptionFile: true, collision: false, rating });
const dataset = [subject('five.png', 5), subject('four.png', 4), subject('one.png', 1), subject('unrated.png'), subject('zero.png', 0), subject('rating.png', 3, 'a rating of the show')];
const kept = (query: string): string[] => {
  const predicate = compileQuery(parseQuery(query));
  return dataset.filter(predicate).map((s) => s.relPath);
};

describe('filter language: the rating term', () => {
  it('parses comparisons, rating:N as equality, and spaces around the operator', () => {
    assert.deepEqual(parseQuery('rating>=4').root, { kind: 'rating', operator: '>=', value: 4 });
    assert.deepEqual(parseQuery('Rating:5').root, { kind: 'rating', operator: '=', value: 5 });
    assert.deepEqual(parseQuery('rating != 0').root, { kind: 'rating', operator: '!=', value: 0 });
    assert.deepEqual(parseQuery('rating <3 cat').root, { kind: 'and', children: [{ kind: 'rating', operator: '<', value: 3 }, { kind: 'text', field: 'any', value: 'cat' }] });
  });

  it('keeps "rating" alone (or as part of a word) a word to search for', () => {
    assert.deepEqual(parseQuery('rating').root, { kind: 'text', field: 'any', value: 'rating' });
    assert.deepEqual(parseQuery('ratings').root, { kind: 'text', field: 'any', value: 'ratings' });
    assert.deepEqual(kept('rating'), ['rating.png']);
  });

  it('evaluates against the rating the caller supplies, unrated counting as 0', () => {
    assert.deepEqual(kept('rating>=4'), ['five.png', 'four.png']);
    assert.deepEqual(kept('rating=0'), ['unrated.png', 'zero.png']);
    assert.deepEqual(kept('rating:5'), ['five.png']);
    assert.deepEqual(kept('rating>0 rating<4'), ['one.png', 'rating.png']);
    assert.deepEqual(kept('-rating>=4 OR rating=5'), ['five.png', 'one.png', 'unrated.png', 'zero.png', 'rating.png']);
  });

  it('needs no captions to decide', () => {
    assert.equal(queryNeedsCaptions(parseQuery('rating>=4')), false);
    assert.equal(queryNeedsCaptions(parseQuery('rating>=4 cat')), true);
  });

  it('describes itself in normalized form that parses back the same', () => {
    for (const [query, text] of [['rating:5', 'rating=5'], ['rating >= 4 OR cat', 'rating>=4 OR cat'], ['NOT rating=0', 'NOT rating=0']]) {
      assert.equal(describeQuery(parseQuery(query)), text);
      assert.deepEqual(parseQuery(text).root, parseQuery(query).root);
    }
  });

  it('says where a rating term is wrong', () => {
    const cases: Array<[string, RegExp, number]> = [
      ['rating>6', /Ratings run from 0 \(unrated\) to 5 stars: "rating>6" at position 0 can never match/, 0],
      ['cat rating:9', /to 5 stars/, 4],
      ['rating>=', /Expected a whole number after "rating>="/, 0],
      ['rating:good', /Expected a whole number after "rating:"/, 0],
      ['rating>2.5', /Expected a whole number/, 0],
    ];
    for (const [query, message, position] of cases) {
      assert.throws(() => parseQuery(query), (err: Error) => err instanceof QuerySyntaxError && message.test(err.message) && err.position === position, query);
    }
  });
});
