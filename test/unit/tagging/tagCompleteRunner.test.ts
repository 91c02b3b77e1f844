import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { TagCompleteRunner } from '../../../src/core/tagging/tagCompleteRunner';
import { countTags } from '../../../src/core/tagging/tagCounts';

const THREAD = path.resolve(__dirname, '../../../src/core/tagging/tagCompleteThread.js');
const FIXTURE = path.join(__dirname, '../../../../test/fixtures/tagging/booruTags.csv');

describe('tag completion in its worker thread', function () {
  this.timeout(60_000);
  let runner: TagCompleteRunner;
  beforeEach(() => (runner = new TagCompleteRunner(THREAD)));
  afterEach(() => runner.dispose());

  it('indexes a list sent as bytes, ranks the dataset tags first, resolves aliases, and leaves out the excluded', async () => {
    const bytes = fs.readFileSync(FIXTURE);
    const indexed = await runner.setList(FIXTURE, new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
    assert.ok(indexed.tags > 0);
    runner.setDatasetTags(countTags(['smile, long hair', 'smile, sky']));
    const all = await runner.complete('smi', 10);
    assert.equal(all[0].tag, 'smile');
    assert.equal(all[0].source, 'dataset');
    const without = await runner.complete('smi', 10, ['smile']);
    assert.ok(!without.some((s) => s.tag === 'smile'), JSON.stringify(without));
    assert.deepEqual(without, all.filter((s) => s.tag !== 'smile').slice(0, 10));
  });

  it('keeps the host answering while it indexes 100,000 rows: the longest host turn is a small part of the indexing', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `tag_${i.toString(36)}_name,${i % 5},${100_000 - i},"alias${i},other_${i}"`).join('\n');
    const bytes = new TextEncoder().encode(rows);
    const lag = monitorEventLoopDelay({ resolution: 2 });
    lag.enable();
    const started = performance.now();
    const indexed = await runner.setList('big.csv', bytes);
    const took = performance.now() - started;
    lag.disable();
    const longest = lag.max / 1e6;
    assert.equal(indexed.tags, 100_000);
    assert.equal(bytes.byteLength, 0, 'the bytes moved to the thread, not copied');
    assert.ok(longest < Math.max(50, took / 4), `longest host turn ${longest.toFixed(1)} ms while indexing took ${took.toFixed(0)} ms`);
    assert.deepEqual((await runner.complete('alias4242', 1)).map((s) => [s.tag, s.alias]), [[`tag ${(4242).toString(36)} name`, 'alias4242']]);
  });

  it('refuses questions after dispose and starts no thread for them (a keystroke in flight at deactivate)', async () => {
    runner.setDatasetTags(countTags(['blue sky']));
    assert.deepEqual((await runner.complete('blu', 5)).map((s) => s.tag), ['blue sky']);
    runner.dispose();
    await assert.rejects(runner.complete('blu', 5), /tag completion was stopped/);
    await assert.rejects(runner.setList('late.csv', undefined), /tag completion was stopped/);
    assert.throws(() => runner.setDatasetTags([]), /tag completion was stopped/);
    assert.equal(runner.running, false, 'no thread was started after dispose');
  });

  it('reports a list that does not parse, and answers without it', async () => {
    await assert.rejects(runner.setList('bad.csv', new TextEncoder().encode('a,0,1,"unclosed\nb,0,2,')), /unclosed|quote/i);
    runner.setDatasetTags(countTags(['blue sky']));
    assert.deepEqual((await runner.complete('blu', 5)).map((s) => s.tag), ['blue sky']);
  });
});
