import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KEPT_LAYOUTS, LayoutCache } from '../../../src/core/explore/layoutCache';
import type { ExploreLayout, ExploreOptions } from '../../../src/core/explore/exploreTypes';

const OPTIONS: ExploreOptions = { k: 2, reducedDims: 50, projection: 'pca', seed: 1, restarts: 4 };
const LAYOUT: ExploreLayout = {
  count: 3,
  x: new Float32Array([0.5, -1.25, 3]),
  y: new Float32Array([1, 2, -3.5]),
  labels: new Int32Array([0, 1, 1]),
  clusters: [
    { id: 0, size: 1, terms: ['dog'] },
    { id: 1, size: 2, terms: ['<b>beach</b>', 'wave'] },
  ],
  explained: 0.75,
  notes: ['a note'],
  timings: { cluster: 3 },
};

describe('Explore: the layout cache', () => {
  let folder: string;
  let cache: LayoutCache;
  beforeEach(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'layout-cache-'));
    cache = new LayoutCache(folder);
  });
  afterEach(() => fs.rm(folder, { recursive: true, force: true }));

  it('gives back exactly the layout it stored', async () => {
    const key = cache.key({ kind: 'texts', texts: ['a', 'b', 'c'] }, OPTIONS, 'builtin');
    assert.equal(await cache.get(key), undefined);
    await cache.put(key, LAYOUT);
    const back = await cache.get(key);
    assert.deepEqual(back, LAYOUT);
    assert.ok(back!.x.buffer !== LAYOUT.x.buffer);
  });

  it('the key changes with any text, option or source', () => {
    const input = { kind: 'texts' as const, texts: ['a', 'b'] };
    const key = cache.key(input, OPTIONS, 'builtin');
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(key, cache.key({ kind: 'texts', texts: ['a', 'b'] }, { ...OPTIONS }, 'builtin'));
    const others = [
      cache.key({ kind: 'texts', texts: ['a', 'B'] }, OPTIONS, 'builtin'),
      cache.key(input, { ...OPTIONS, k: 3 }, 'builtin'),
      cache.key(input, { ...OPTIONS, projection: 'umap' }, 'builtin'),
      cache.key(input, { ...OPTIONS, seed: 2 }, 'builtin'),
      cache.key(input, { ...OPTIONS, reducedDims: 20 }, 'builtin'),
      cache.key(input, { ...OPTIONS, restarts: 1 }, 'builtin'),
      cache.key(input, OPTIONS, 'local:text'),
    ];
    assert.equal(new Set([key, ...others]).size, others.length + 1);
  });

  it('a truncated, corrupt or foreign file is a miss, never an error', async () => {
    const key = cache.key({ kind: 'texts', texts: ['x'] }, OPTIONS, 'builtin');
    await cache.put(key, LAYOUT);
    const file = path.join(folder, `${key}.layout`);
    const bytes = await fs.readFile(file);
    const damaged: Buffer[] = [
      bytes.subarray(0, bytes.length - 1),
      Buffer.concat([bytes, Buffer.from([0])]),
      Buffer.from('not a layout'),
      Buffer.alloc(0),
      (() => {
        const b = Buffer.from(bytes);
        b.writeInt32LE(7, b.length - 4); // a label outside the clusters
        return b;
      })(),
      (() => {
        const b = Buffer.from(bytes);
        b.writeUInt32LE(0xffffffff, 0);
        return b;
      })(),
    ];
    for (const content of damaged) {
      await fs.writeFile(file, content);
      assert.equal(await cache.get(key), undefined);
    }
    await fs.rm(file);
    await fs.mkdir(file);
    assert.equal(await cache.get(key), undefined, 'a folder where the file should be');
  });

  it(`keeps the ${KEPT_LAYOUTS} most recently used layouts`, async () => {
    const keys: string[] = [];
    for (let i = 0; i < KEPT_LAYOUTS; i++) {
      const key = cache.key({ kind: 'texts', texts: [`t${i}`] }, OPTIONS, 'builtin');
      keys.push(key);
      await cache.put(key, LAYOUT);
      const past = new Date(Date.now() - (KEPT_LAYOUTS - i) * 60_000);
      await fs.utimes(path.join(folder, `${key}.layout`), past, past);
    }
    // Reading the oldest makes it recent; the next put drops the least recently used instead.
    assert.ok(await cache.get(keys[0]));
    await cache.put(cache.key({ kind: 'texts', texts: ['new'] }, OPTIONS, 'builtin'), LAYOUT);
    const left = (await fs.readdir(folder)).filter((n) => n.endsWith('.layout'));
    assert.equal(left.length, KEPT_LAYOUTS);
    assert.ok(left.includes(`${keys[0]}.layout`));
    assert.ok(!left.includes(`${keys[1]}.layout`));
  });
});
