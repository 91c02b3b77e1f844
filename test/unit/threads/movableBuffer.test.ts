import { strict as assert } from 'node:assert';
import { movableBuffer } from '../../../src/core/threads/movableBuffer';

describe('movable buffers for worker thread messages', () => {
  it('moves a buffer a view covers whole, and never a part of a pooled Buffer or shared memory', () => {
    const whole = new Float32Array(8);
    assert.deepEqual(movableBuffer(whole), [whole.buffer]);
    const pooled = Buffer.from('a small string lives in the shared pool');
    assert.ok(pooled.byteLength < pooled.buffer.byteLength, 'the fixture is a slice of the pool');
    assert.deepEqual(movableBuffer(pooled), []);
    assert.deepEqual(movableBuffer(new Int32Array(new SharedArrayBuffer(16))), []);
    assert.deepEqual(movableBuffer(undefined), []);
  });
});
