import { strict as assert } from 'node:assert';
import { CLIP_TOKEN_LIMIT, captionStats } from '../../src/core/dataset/captionStats';

describe('captionStats', () => {
  it('counts nothing in an empty or blank caption', () => {
    assert.deepEqual(captionStats(''), { characters: 0, words: 0, clipTokens: 0 });
    assert.deepEqual(captionStats(' \n\t'), { characters: 3, words: 0, clipTokens: 0 });
  });

  it('counts characters by code point: an emoji is one character', () => {
    assert.equal(captionStats('a cat').characters, 5);
    assert.equal(captionStats('🐱').characters, 1);
    assert.equal(captionStats('🐱 cat').characters, 5);
    assert.equal(captionStats('café').characters, 4);
  });

  it('counts words separated by any whitespace', () => {
    assert.equal(captionStats('a cat').words, 2);
    assert.equal(captionStats('  a   red\ncar,\tparked  ').words, 4);
    assert.equal(captionStats('🐱').words, 1);
  });

  it('estimates CLIP tokens: words, punctuation and digits count, and the count grows with length', () => {
    assert.equal(captionStats('a cat').clipTokens, 2);
    assert.equal(captionStats('a cat, 42').clipTokens, 5, 'comma and each digit are tokens');
    assert.ok(captionStats('photographically').clipTokens >= 2, 'a long word splits');
    let previous = 0;
    let text = '';
    for (const word of 'a photo of a red sports car parked beside the old harbour at dusk'.split(' ')) {
      text = text ? `${text} ${word}` : word;
      const tokens = captionStats(text).clipTokens;
      assert.ok(tokens > previous, `"${text}": ${tokens} after ${previous}`);
      previous = tokens;
    }
  });

  it('goes over the 75-token CLIP limit for a long caption', () => {
    assert.equal(CLIP_TOKEN_LIMIT, 75);
    const sentence = 'a photo of a red sports car parked beside the old harbour at dusk, with gulls overhead. ';
    const long = sentence.repeat(5);
    const stats = captionStats(long);
    assert.ok(stats.clipTokens > CLIP_TOKEN_LIMIT, `${stats.clipTokens} tokens`);
    assert.equal(stats.words, 17 * 5);
    assert.ok(captionStats(sentence).clipTokens < CLIP_TOKEN_LIMIT);
  });
});
