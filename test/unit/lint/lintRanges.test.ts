import { strict as assert } from 'node:assert';
import { lineStarts, positionAt } from '../../../src/services/lintRanges';

const at = (text: string, offset: number) => positionAt(lineStarts(text), text.length, offset);

describe('lint offsets → editor positions', () => {
  it('counts lines at each line break and characters in UTF-16 units', () => {
    const text = 'a 🐕 dog\nthe image shows\n';
    assert.deepEqual(at(text, 0), { line: 0, character: 0 });
    assert.deepEqual(at(text, 4), { line: 0, character: 4 }, 'the emoji is two UTF-16 units');
    assert.deepEqual(at(text, 8), { line: 0, character: 8 }, 'the line break itself ends line 0');
    assert.deepEqual(at(text, 9), { line: 1, character: 0 });
    assert.deepEqual(at(text, 13), { line: 1, character: 4 });
    assert.deepEqual(at(text, text.length), { line: 2, character: 0 });
  });

  it('a lone carriage return breaks the line, as it does in a VS Code document', () => {
    const text = 'one\rtwo\r\nthree';
    assert.deepEqual(lineStarts(text), [0, 4, 9]);
    assert.deepEqual(at(text, 5), { line: 1, character: 1 });
    assert.deepEqual(at(text, 10), { line: 2, character: 1 });
  });

  it('clamps offsets outside the text', () => {
    assert.deepEqual(at('ab\ncd', 99), { line: 1, character: 2 });
    assert.deepEqual(at('ab', -3), { line: 0, character: 0 });
    assert.deepEqual(at('', 0), { line: 0, character: 0 });
  });
});
