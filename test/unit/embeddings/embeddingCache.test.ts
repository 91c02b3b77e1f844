import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmbeddingCache, cacheFileFor, contentKey } from '../../../src/core/embeddings/embeddingCache';
import { TempDirs } from '../helpers/tempTree';

const vec = (...values: number[]): Float32Array => Float32Array.from(values);

describe('embedding cache', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('keys by model and content: same bytes and text agree, another model differs', () => {
    const bytes = Buffer.from('a red ball');
    assert.equal(contentKey('m', bytes), contentKey('m', 'a red ball'));
    assert.notEqual(contentKey('m', bytes), contentKey('other', bytes));
    assert.notEqual(contentKey('m', 'a'), contentKey('m', 'b'));
    assert.match(contentKey('m', 'a'), /^[0-9a-f]{64}$/);
  });

  it('writes a header and fixed-size records, and a reload gives the same vectors', async () => {
    const dir = await temp.make();
    const cache = await EmbeddingCache.open(dir, 'clip');
    const [k1, k2] = [contentKey('clip', 'one'), contentKey('clip', 'two')];
    await cache.add([{ key: k1, vector: vec(1, 0.5, -2) }]);
    await cache.add([{ key: k2, vector: vec(0, 0.25, 3) }, { key: k1, vector: vec(9, 9, 9) }]);
    const bytes = fs.readFileSync(cacheFileFor(dir, 'clip'));
    assert.equal(bytes.length, 12 + 2 * (32 + 3 * 4), 'header + two records (the repeated key is not appended)');
    assert.equal(bytes.subarray(0, 8).toString('latin1'), 'ICEMBED1');
    assert.equal(bytes.readUInt32LE(8), 3);
    assert.equal(bytes.toString('hex', 12, 44), k1);
    assert.equal(bytes.readFloatLE(44), 1);
    assert.equal(bytes.readFloatLE(52), -2);

    const reloaded = await EmbeddingCache.open(dir, 'clip');
    assert.equal(reloaded.size, 2);
    assert.deepEqual([...reloaded.get(k1)!], [1, 0.5, -2]);
    assert.deepEqual([...reloaded.get(k2)!], [0, 0.25, 3]);
    assert.equal((await EmbeddingCache.open(dir, 'another model')).size, 0, 'one file per model');
  });

  it('drops a torn last record and appends after the last whole one', async () => {
    const dir = await temp.make();
    const cache = await EmbeddingCache.open(dir, 'clip');
    const keys = ['a', 'b', 'c'].map((t) => contentKey('clip', t));
    await cache.add(keys.map((key, i) => ({ key, vector: vec(i, i + 1) })));
    const file = cacheFileFor(dir, 'clip');
    const full = fs.statSync(file).size;
    fs.truncateSync(file, full - 5);

    const torn = await EmbeddingCache.open(dir, 'clip');
    assert.equal(torn.size, 2);
    assert.equal(torn.get(keys[2]), undefined);
    assert.equal(fs.statSync(file).size, full - (32 + 8), 'cut back to whole records');
    await torn.add([{ key: keys[2], vector: vec(7, 8) }]);
    const again = await EmbeddingCache.open(dir, 'clip');
    assert.equal(again.size, 3);
    assert.deepEqual([...again.get(keys[2])!], [7, 8]);
    assert.deepEqual([...again.get(keys[1])!], [1, 2]);
  });

  it('starts afresh on a file that is not a cache or on a new vector size', async () => {
    const dir = await temp.make();
    const file = cacheFileFor(dir, 'clip');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'garbage');
    const cache = await EmbeddingCache.open(dir, 'clip');
    assert.equal(cache.size, 0);
    await cache.add([{ key: contentKey('clip', 'x'), vector: vec(1, 2) }]);
    await cache.add([{ key: contentKey('clip', 'y'), vector: vec(1, 2, 3) }]);
    const reloaded = await EmbeddingCache.open(dir, 'clip');
    assert.equal(reloaded.size, 1);
    assert.deepEqual([...reloaded.get(contentKey('clip', 'y'))!], [1, 2, 3]);
  });
});
