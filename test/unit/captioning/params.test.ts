import { strict as assert } from 'node:assert';
import { formatParams, parseParams, ParamSyntaxError } from '../../../src/core/captioning/params';

describe('parseParams (key=value, key=value)', () => {
  it("parses the seed's defaults into typed values", () => {
    assert.deepEqual(parseParams('max_tokens=1024, temperature=0.20, top_p=0.20'), { max_tokens: 1024, temperature: 0.2, top_p: 0.2 });
  });

  it('passes unknown keys through as numbers, booleans or strings, and keeps quoted commas', () => {
    assert.deepEqual(parseParams('grounded_response=true, response_mode=brief, stop="a, b", repetition_penalty=1.1'), {
      grounded_response: true,
      response_mode: 'brief',
      stop: 'a, b',
      repetition_penalty: 1.1,
    });
    assert.deepEqual(parseParams(''), {});
    assert.deepEqual(parseParams('  seed = 7 ,'), { seed: 7 });
  });

  it('says precisely what is wrong and where', () => {
    const cases: Array<[string, RegExp, number]> = [
      ['temperature=0.2, top_p', /"top_p" at position 18 is not a key=value pair/, 17],
      ['max_tokens=12.5', /max_tokens must be a whole number, got 12.5/, 0],
      ['temperature=3', /temperature must be between 0 and 2, got 3/, 0],
      ['top_p=high', /top_p must be a number, got "high"/, 0],
      ['temperature=0.1, temperature=0.2', /temperature is given twice/, 17],
      ['max_tokens=', /max_tokens at position 1 has no value/, 0],
      ['1abc=2', /"1abc" at position 1 is not a valid parameter name/, 0],
    ];
    for (const [text, message, position] of cases) {
      assert.throws(() => parseParams(text), (err: unknown) => {
        assert.ok(err instanceof ParamSyntaxError, text);
        assert.match(err.message, message);
        assert.equal(err.position, position, text);
        return true;
      });
    }
  });

  it('formats back to text that parses to the same values', () => {
    const params = { max_tokens: 100, temperature: 0.2, stop: 'a, b', flag: false };
    assert.equal(formatParams(params), 'max_tokens=100, temperature=0.2, stop="a, b", flag=false');
    assert.deepEqual(parseParams(formatParams(params)), params);
  });

  it('refuses a parameter string longer than any real one at once (its pattern would backtrack over long runs of spaces)', () => {
    const started = performance.now();
    assert.throws(() => parseParams(`a${' '.repeat(100_000)}b`), (err: unknown) => err instanceof ParamSyntaxError && /at most 4096 are read/.test(err.message));
    assert.ok(performance.now() - started < 100);
    assert.deepEqual(parseParams(`temperature=0.2,${' '.repeat(3000)}top_p=0.9`), { temperature: 0.2, top_p: 0.9 });
  });
});
