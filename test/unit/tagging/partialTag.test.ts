import { strict as assert } from 'node:assert';
import { partialTag } from '../../../src/core/tagging/partialTag';

describe('caption editor autocomplete: the tag being typed', () => {
  it('is the text between the last comma (or line start) before the caret and the caret, spaces after the comma left out', () => {
    assert.deepEqual(partialTag('red hair, sm', 12), { start: 10, typed: 'sm' });
    assert.deepEqual(partialTag('red hair, smile, blue', 13), { start: 10, typed: 'smi' });
    assert.deepEqual(partialTag('lo', 2), { start: 0, typed: 'lo' });
    assert.deepEqual(partialTag('a,   ', 5), { start: 5, typed: '' });
    assert.deepEqual(partialTag('first line, x\nsec', 17), { start: 14, typed: 'sec' });
    assert.deepEqual(partialTag('long hair', 4), { start: 0, typed: 'long' });
  });
});
