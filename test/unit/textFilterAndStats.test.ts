import { strict as assert } from 'node:assert';
import { CLIP_TOKEN_LIMIT, captionStats } from '../../src/core/dataset/captionStats';
import { parseTextFilter } from '../../src/core/dataset/textFilter';

describe('parseTextFilter', () => {
  it('splits a query into lower-case terms, keeping quoted phrases together', () => {
    assert.deepEqual(parseTextFilter('red car').terms, ['red', 'car']);
    assert.deepEqual(parseTextFilter('  "Red Car"   NIGHT ').terms, ['red car', 'night']);
    assert.deepEqual(parseTextFilter('"unclosed phrase').terms, ['unclosed phrase']);
    assert.deepEqual(parseTextFilter('"" a').terms, ['a']);
    assert.deepEqual(parseTextFilter('').terms, []);
  });

  it('an empty query matches everything', () => {
    assert.equal(parseTextFilter('   ').matches('a.jpg', ''), true);
  });

  it('needs every term, each in the file name or the caption, case-insensitively', () => {
    const f = parseTextFilter('Dog 001');
    assert.equal(f.matches('IMG_001.jpg', 'A DOG on grass'), true);
    assert.equal(f.matches('img_002.jpg', 'a dog on grass'), false, '001 is in neither');
    assert.equal(f.matches('dog_001.jpg', ''), true, 'both terms in the name');
    assert.equal(f.matches('x.jpg', 'dog number 001'), true, 'both terms in the caption');
    assert.equal(parseTextFilter('cat').matches('img_001.jpg', 'a dog'), false);
  });

  it('matches a quoted phrase only as written', () => {
    const f = parseTextFilter('"red car"');
    assert.equal(f.matches('x.jpg', 'a Red Car at night'), true);
    assert.equal(f.matches('x.jpg', 'a car that is red'), false);
    assert.equal(f.matches('red car.jpg', ''), true);
  });

  it('folds non-ASCII case', () => {
    assert.equal(parseTextFilter('ÉCLAIR').matches('x.jpg', 'un éclair au chocolat'), true);
  });
});

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
