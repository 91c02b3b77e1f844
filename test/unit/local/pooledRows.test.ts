import { strict as assert } from 'node:assert';
import { pooledRows } from '../../../src/worker/embedder';

describe('image feature pooling', () => {
  it('keeps [batch, features], averages tokens of [batch, tokens, features] and positions of [batch, channels, h, w]', () => {
    assert.deepEqual(pooledRows({ dims: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }).map((r) => [...r]), [[1, 2, 3], [4, 5, 6]]);
    // one image, two tokens of three features
    assert.deepEqual(pooledRows({ dims: [1, 2, 3], data: Float32Array.from([1, 2, 3, 3, 4, 5]) }).map((r) => [...r]), [[2, 3, 4]]);
    // a ResNet-like feature map: two images, two channels of 2x2
    const map = Float32Array.from([1, 1, 1, 1, 0, 2, 4, 6, /* second image */ 8, 8, 8, 8, -1, -1, -3, -3]);
    assert.deepEqual(pooledRows({ dims: [2, 2, 2, 2], data: map }).map((r) => [...r]), [[1, 3], [8, -2]]);
    assert.deepEqual(pooledRows({ dims: [1, 2, 1, 1], data: Float32Array.from([7, 9]) }).map((r) => [...r]), [[7, 9]]);
  });
});
