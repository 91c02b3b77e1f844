import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExportSample, exportWebDataset } from '../../../src/core/export';
import { TempDirs } from '../helpers/tempTree';
import { listDir, webdatasetSamples, writeDataset } from './exportTestKit';

const COUNT = 12;

/** Samples whose `metadata` getter (read as the sample is written, after the read-ahead) aborts the export at sample `at`. */
function abortingAt(samples: readonly ExportSample[], at: number, controller: AbortController): ExportSample[] {
  const copy = [...samples];
  const target = samples[at];
  copy[at] = {
    ...target,
    get metadata() {
      controller.abort();
      return undefined;
    },
  };
  return copy;
}

describe('exportWebDataset shards', () => {
  const temp = new TempDirs();
  let samples: ExportSample[];
  after(() => temp.cleanup());

  before(async () => {
    const root = await temp.make('ic-shards-');
    samples = await writeDataset(root, Array.from({ length: COUNT }, (_, i) => ({
      rel: `img_${i}.jpg`, width: 40 + i * 8, height: 30, caption: `caption ${i}`,
    })));
  });

  it('splits by sample count, with keys running on across shards', async () => {
    const outDir = await temp.make();
    const report = await exportWebDataset(samples, { outDir, maxSamplesPerShard: 5 });
    assert.deepEqual(listDir(outDir), ['dataset-000000.tar', 'dataset-000001.tar', 'dataset-000002.tar']);
    const perShard = report.files.map(webdatasetSamples);
    assert.deepEqual(perShard.map((s) => s.length), [5, 5, 2]);
    assert.deepEqual(perShard.flat().map((s) => s.__key__), Array.from({ length: COUNT }, (_, i) => String(i).padStart(9, '0')));
    assert.deepEqual(perShard.flat().map((s) => s.txt), samples.map((_, i) => `caption ${i}`));
    assert.equal(report.bytes, report.files.reduce((sum, f) => sum + fs.statSync(f).size, 0));
  });

  it('splits by bytes: no shard passes the limit, and each took as many samples as fitted', async () => {
    const whole = await exportWebDataset(samples, { outDir: await temp.make() });
    const maxBytesPerShard = Math.floor(whole.bytes / 3);
    const outDir = await temp.make();
    const report = await exportWebDataset(samples, { outDir, maxBytesPerShard });
    assert.ok(report.files.length >= 3, `${report.files.length} shards`);
    const sizes = report.files.map((f) => fs.statSync(f).size);
    for (const size of sizes) assert.ok(size <= maxBytesPerShard, `${size} > ${maxBytesPerShard}`);
    const perShard = report.files.map(webdatasetSamples);
    assert.deepEqual(perShard.flat().map((s) => s.txt), samples.map((_, i) => `caption ${i}`));
    // A shard closed early only if the next sample (its first member in the next shard) would not fit.
    for (let i = 0; i + 1 < sizes.length; i++) {
      const nextSampleBytes = sampleBytesIn(report.files[i + 1]);
      assert.ok(sizes[i] + nextSampleBytes > maxBytesPerShard, `shard ${i} had room for the next sample`);
    }
  });

  it('gives a sample larger than the limit a shard of its own', async () => {
    const report = await exportWebDataset(samples.slice(0, 3), { outDir: await temp.make(), maxBytesPerShard: 1 });
    assert.deepEqual(report.files.map((f) => webdatasetSamples(f).length), [1, 1, 1]);
  });

  it('on cancellation keeps the finished shards, removes the partial one and rejects with AbortError', async () => {
    const outDir = await temp.make();
    const controller = new AbortController();
    await assert.rejects(
      exportWebDataset(abortingAt(samples, 7, controller), { outDir, maxSamplesPerShard: 5, signal: controller.signal }),
      { name: 'AbortError' },
    );
    assert.deepEqual(listDir(outDir), ['dataset-000000.tar']);
    assert.equal(webdatasetSamples(path.join(outDir, 'dataset-000000.tar')).length, 5);
  });

  it('writes nothing when cancelled before it starts', async () => {
    const outDir = await temp.make();
    await assert.rejects(exportWebDataset(samples, { outDir, signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.deepEqual(listDir(outDir), []);
  });

  it('reports progress at most every 250 ms, ending at all samples and the bytes on disk', async () => {
    const calls: Array<[number, number, number]> = [];
    const started = performance.now();
    const report = await exportWebDataset(samples, { outDir: await temp.make(), onProgress: (...args) => calls.push(args) });
    const allowed = 2 + Math.floor((performance.now() - started) / 250);
    assert.deepEqual(calls.at(-1), [COUNT, COUNT, report.bytes]);
    assert.ok(calls.length <= allowed, `${calls.length} progress calls, at most ${allowed} expected`);
  });
});

/** Bytes of a shard's first sample: three members, headers and padding included. */
function sampleBytesIn(tarFile: string): number {
  const tar = fs.readFileSync(tarFile);
  let offset = 0;
  for (let member = 0; member < 3; member++) {
    const size = parseInt(tar.subarray(offset + 124, offset + 136).toString('ascii').replace(/\0.*$/, '').trim(), 8);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return offset;
}
