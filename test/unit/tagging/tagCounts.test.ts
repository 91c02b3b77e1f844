import { strict as assert } from 'node:assert';
import { countTags, searchTagCounts, sortTagCounts } from '../../../src/core/tagging/tagCounts';
import { isCommaSeparated } from '../../../src/core/captioning/captionMerge';

describe('tag counts', () => {
  it('counts each tag once per caption, case-insensitively, keeping the first spelling, and skips prose', () => {
    const counts = countTags(['dog, red ball, Dog', 'red ball, grass\n', 'A dog runs in a park.', undefined, '', 'Red Ball']);
    const byKey = Object.fromEntries(counts.map((c) => [c.key, [c.tag, c.count]]));
    assert.deepEqual(byKey, { dog: ['dog', 1], 'red ball': ['red ball', 3], grass: ['grass', 1] });
  });

  it('sorts by count (ties by name) or by name, and searches substrings with _ and space alike', () => {
    const counts = countTags(['b, a, long_hair', 'a, long hair', 'c, a', 'tag10, tag9']);
    // "long hair" and "long_hair" stay two tags, as the bulk tag edits and `tag:` see them
    assert.deepEqual(sortTagCounts(counts, 'count').map((c) => `${c.tag}:${c.count}`), ['a:3', 'b:1', 'c:1', 'long hair:1', 'long_hair:1', 'tag9:1', 'tag10:1']);
    assert.deepEqual(sortTagCounts(counts, 'name').map((c) => c.tag), ['a', 'b', 'c', 'long hair', 'long_hair', 'tag9', 'tag10']);
    assert.deepEqual(searchTagCounts(counts, 'G H').map((c) => c.tag).sort(), ['long hair', 'long_hair']);
    assert.equal(searchTagCounts(counts, '  ').length, counts.length);
  });

  it('counts 100,000 captions of 20 tags (the time is the tag-complete bench\'s note: a timing here fails under load)', () => {
    const texts = Array.from({ length: 100_000 }, (_, i) => Array.from({ length: 20 }, (_, k) => `tag ${(i * 7 + k * 13) % 5000}`).join(', '));
    const counts = countTags(texts);
    assert.equal(counts.length, 5000);
    assert.equal(counts.reduce((n, c) => n + c.count, 0), 2_000_000);
  });

  it('isCommaSeparated (one pass, no arrays) answers as the split-based definition did', () => {
    const reference = (text: string): boolean => {
      const trimmed = text.trim();
      if (!trimmed.includes(',') || /[.!?]$/.test(trimmed) || /[.!?]\s/.test(trimmed)) return false;
      return trimmed.split(',').every((part) => part.trim().split(/\s+/).length <= 6);
    };
    const alphabet = ['a', 'b', ' ', ',', '\t', '\u3000', '\u00a0', '.', '\n', ' ', ','];
    let state = 7;
    const random = (): number => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    for (let i = 0; i < 50_000; i++) {
      let text = '';
      for (let k = Math.floor(random() * 40); k > 0; k--) text += alphabet[Math.floor(random() * alphabet.length)];
      assert.equal(isCommaSeparated(text), reference(text), JSON.stringify(text));
    }
  });
});
