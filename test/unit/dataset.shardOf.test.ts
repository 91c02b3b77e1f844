import { strict as assert } from 'node:assert';
import { inShard, parseShard, shardOf } from '../../src/core/dataset/shardOf';

describe('shardOf: deterministic dataset shards', () => {
  const paths = Array.from({ length: 4000 }, (_, i) => `folder${i % 7}/image ${i}.jpg`);

  it('N shards cover every path exactly once', () => {
    const seen = new Map<string, number>();
    for (let index = 0; index < 4; index++) for (const p of inShard(paths, { index, count: 4 }, (x) => x)) seen.set(p, (seen.get(p) ?? 0) + 1);
    assert.equal(seen.size, paths.length);
    assert.ok([...seen.values()].every((n) => n === 1));
  });

  it('is balanced within a few percent', () => {
    const sizes = [0, 1, 2, 3].map((index) => inShard(paths, { index, count: 4 }, (x) => x).length);
    for (const size of sizes) assert.ok(Math.abs(size - 1000) < 80, `shard sizes ${sizes}`);
  });

  it("an image's shard does not move when other files are added", () => {
    const before = paths.map((p) => shardOf(p, 16));
    const more = [...paths, ...Array.from({ length: 500 }, (_, i) => `new/extra ${i}.png`)];
    assert.deepEqual(more.slice(0, paths.length).map((p) => shardOf(p, 16)), before);
  });

  it('the same path gives the same shard in every process (a fixed hash, not a seeded one)', () => {
    assert.equal(shardOf('a/b.jpg', 1000), shardOf('a/b.jpg', 1000));
    assert.equal(shardOf('x.png', 1), 0);
    // pinned: a change of hash would silently re-split every running array job's dataset
    assert.deepEqual(['a.jpg', 'b.jpg', 'c/d.png'].map((p) => shardOf(p, 10)), [6, 0, 1]);
  });

  it('parses I/N and names the fix for bad values', () => {
    assert.deepEqual(parseShard('3/4'), { index: 3, count: 4 });
    assert.deepEqual(parseShard(' 0 / 1 '), { index: 0, count: 1 });
    assert.throws(() => parseShard('5/4'), /index must be below the count \(0 to 3\)/);
    assert.throws(() => parseShard('4/4'), /0 to 3/);
    assert.throws(() => parseShard('1/0'), /count must be 1 to 65536/);
    assert.throws(() => parseShard('a/b'), /expected INDEX\/COUNT/);
    assert.throws(() => parseShard('-1/4'), /expected INDEX\/COUNT/);
  });
});
