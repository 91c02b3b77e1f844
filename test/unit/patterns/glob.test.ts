import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { compileGlob } from '../../../src/core/patterns/glob';
import { callWithin } from '../helpers/timeBoxed';

const SCENARIOS = path.join(__dirname, 'longTextScenarios.js');

/** The regular expression wildcards used to compile to: the definition the glob must keep. */
function reference(pattern: string, questionMark: boolean): RegExp {
  const source = pattern
    .split(questionMark ? /([*?])/ : /([*])/)
    .map((part) => (part === '*' ? '.*' : part === '?' ? '.' : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'su');
}

function seeded(seed: number): (n: number) => number {
  return (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
}

describe('compileGlob', () => {
  it('agrees with the regular expression it replaces, for random texts and patterns with stars, question marks, astral and lone surrogate characters', () => {
    const next = seeded(5);
    const textChars = ['a', 'b', 'a', 'ab', '\n', '😀', 'é', '\ud83d', '\ude00', '.'];
    const patternChars = ['a', 'b', '*', '*', '?', '😀', '.', 'ab'];
    let matched = 0;
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      for (let i = next(10); i > 0; i--) text += textChars[next(textChars.length)];
      let pattern = '';
      for (let i = next(7); i > 0; i--) pattern += patternChars[next(patternChars.length)];
      const questionMark = n % 3 !== 0;
      const expected = reference(pattern, questionMark).test(text);
      if (expected) matched++;
      assert.equal(compileGlob(pattern, { questionMark }).test(text), expected, `${JSON.stringify(pattern)} on ${JSON.stringify(text)} (? ${questionMark ? 'wild' : 'literal'})`);
    }
    assert.ok(matched > 300 && matched < 19_000, `the random cases should both match and not match, ${matched} matched`);
  });

  it('tests a range of a text as it tests that slice, whatever order ranges come in (its remembered searches stay right)', () => {
    const next = seeded(9);
    const chars = ['a', 'b', 'c', ',', '😀'];
    for (const pattern of ['a*b', '*a*b*', 'a*?*c', '*b?a*', '*c*c*', '?*a', 'ab', '*', '']) {
      const glob = compileGlob(pattern);
      for (let n = 0; n < 300; n++) {
        let text = '';
        for (let i = 10 + next(30); i > 0; i--) text += chars[next(chars.length)];
        for (let k = 0; k < 12; k++) {
          const from = next(text.length + 1);
          const to = from + next(text.length - from + 1);
          assert.equal(glob.test(text, from, to), reference(pattern, true).test(text.slice(from, to)), `${pattern} on ${JSON.stringify(text.slice(from, to))} at ${from}-${to} of ${JSON.stringify(text)}`);
        }
      }
    }
  });

  it('names the longest literal piece every match holds', () => {
    assert.equal(compileGlob('ab*cde?fg*h').longestLiteral, 'cde');
    assert.equal(compileGlob('*?*').longestLiteral, '');
    assert.equal(compileGlob('a?b', { questionMark: false }).longestLiteral, 'a?b');
  });

  it('matches 100 KB texts in linear time where a backtracking regex would take hours', async function () {
    this.timeout(30_000);
    const cases: Array<[string, string, boolean]> = [
      ['*a*a*a*a*a*b', 'a', false],
      ['*a*a*a*a*a*?b', 'a', false],
      ['a*a*a*a*a*a', 'a', true],
      ['*a?*a?*a?*a?*c*', 'ab', false],
      ['*ab*ab*ab*ab*ab*', 'ab', true],
      ['??????????*?????????b', '😀', false],
    ];
    for (const [pattern, filler, expected] of cases) {
      const { value, ms } = await callWithin<boolean>(5_000, SCENARIOS, 'globOnLongText', pattern, filler, 100_000);
      assert.equal(value, expected, pattern);
      assert.ok(ms < 100, `${pattern} over 100 KB of ${JSON.stringify(filler)} took ${ms.toFixed(1)} ms`);
    }
  });
});
