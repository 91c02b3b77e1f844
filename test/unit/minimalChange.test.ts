import { strict as assert } from 'node:assert';
import { minimalChange } from '../../src/core/captions/minimalChange';

function apply(before: string, after: string): string {
  const { start, endOld, inserted } = minimalChange(before, after);
  return before.slice(0, start) + inserted + before.slice(endOld);
}

describe('minimalChange', () => {
  it('replaces only what differs between the common prefix and suffix', () => {
    assert.deepEqual(minimalChange('a red car', 'a blue car'), { start: 2, endOld: 5, inserted: 'blue' });
    assert.deepEqual(minimalChange('abc', 'abc'), { start: 3, endOld: 3, inserted: '' });
    assert.deepEqual(minimalChange('', 'new'), { start: 0, endOld: 0, inserted: 'new' });
    assert.deepEqual(minimalChange('gone', ''), { start: 0, endOld: 4, inserted: '' });
  });

  it('handles repeated characters where prefix and suffix could overlap', () => {
    assert.deepEqual(minimalChange('aaa', 'aaaa'), { start: 3, endOld: 3, inserted: 'a' });
    assert.deepEqual(minimalChange('abab', 'ab'), { start: 2, endOld: 4, inserted: '' });
    assert.equal(apply('aaa', 'aaaa'), 'aaaa');
  });

  it('never cuts a surrogate pair in two', () => {
    // 😀 is \uD83D\uDE00 and 😁 is \uD83D\uDE01: they share the high surrogate.
    const change = minimalChange('x😀y', 'x😁y');
    assert.deepEqual(change, { start: 1, endOld: 3, inserted: '😁' });
    // 🐱 is \uD83D\uDC31 and 🍱 is \uD83C\uDF71: they share no half but the boundary must stay on pairs.
    for (const [a, b] of [['😀😀', '😀😁'], ['😁😀', '😀😀'], ['a🐱b', 'a🍱b'], ['🐱', '']]) {
      const { start, endOld } = minimalChange(a, b);
      assert.equal(a.codePointAt(start) !== undefined && (a.charCodeAt(start) & 0xfc00) === 0xdc00, false, `start ${start} of ${a}`);
      assert.equal(endOld < a.length && (a.charCodeAt(endOld) & 0xfc00) === 0xdc00, false, `end ${endOld} of ${a}`);
      assert.equal(apply(a, b), b);
    }
  });

  it('turns any text into any other text', () => {
    const samples = ['', 'a', 'a cat, a dog', 'line one\nline two', 'café ☕', '日本語のキャプション', '🐱🐶', '  spaced  '];
    for (const a of samples) for (const b of samples) assert.equal(apply(a, b), b, `${JSON.stringify(a)} -> ${JSON.stringify(b)}`);
  });
});
