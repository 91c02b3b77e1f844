import { strict as assert } from 'node:assert';
import { captionStatistics } from '../../../src/core/edits/captionStatistics';
import { sources } from './sources';

describe('captionStatistics', () => {
  const stats = captionStatistics(
    sources({
      tags: '1girl, solo, red hair\n',
      tags2: '1girl, smile, Red Hair',
      sentence: 'A cat sits on the mat by the window.',
      empty: '',
      blank: '  \n',
      missing: undefined,
      long: Array(90).fill('photo').join(' '),
      unicode: '日本語, 猫, café, 🐱',
    }),
  );

  it('counts images, captioned, empty and missing', () => {
    assert.deepEqual([stats.images, stats.captioned, stats.empty, stats.missing], [8, 5, 2, 1]);
  });

  it('buckets lengths in code points by 25 up to 500+', () => {
    assert.equal(stats.lengthHistogram.length, 21);
    assert.deepEqual(stats.lengthHistogram[0], { from: 0, to: 25, count: 3 });
    assert.deepEqual(stats.lengthHistogram[1], { from: 25, to: 50, count: 1 });
    assert.deepEqual(stats.lengthHistogram[20], { from: 500, to: undefined, count: 1 }, '539 characters');
    assert.equal(stats.lengthHistogram.reduce((sum, b) => sum + b.count, 0), 5);
  });

  it('gives words per caption and the captions over the CLIP limit', () => {
    assert.deepEqual(stats.words, { min: 4, median: 4, max: 90 });
    assert.equal(stats.overClipLimit, 1);
    assert.deepEqual(captionStatistics(sources({ a: 'one', b: 'one two three four', c: undefined })).words, { min: 1, median: 2.5, max: 4 });
    assert.equal(captionStatistics(sources({ a: '' })).words, undefined);
  });

  it('ranks tags by captions carrying them, first spelling kept, ties in code-point order', () => {
    assert.deepEqual(stats.topTags, [
      { term: '1girl', count: 2 },
      { term: 'red hair', count: 2 },
      { term: 'café', count: 1 },
      { term: 'smile', count: 1 },
      { term: 'solo', count: 1 },
      { term: '日本語', count: 1 },
      { term: '猫', count: 1 },
      { term: '🐱', count: 1 },
    ]);
  });

  it('ranks lowercased words by occurrences without stop words', () => {
    assert.deepEqual(
      stats.topWords.map((w) => `${w.term}:${w.count}`),
      ['photo:90', '1girl:2', 'hair:2', 'red:2', 'café:1', 'cat:1', 'mat:1', 'sits:1', 'smile:1', 'solo:1', 'window:1', '日本語:1', '猫:1'],
    );
  });

  it('keeps the top 50', () => {
    const many = captionStatistics(sources({ a: Array.from({ length: 60 }, (_, i) => `tag${String(i).padStart(2, '0')}`).join(', ') }));
    assert.equal(many.topTags.length, 50);
    assert.equal(many.topWords.length, 50);
    assert.equal(many.topTags[49].term, 'tag49');
  });
});
