import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readDrafts, SampleDraft } from '../../../src/core/export/sampleDrafts';
import type { Loaded } from '../../../src/core/export/sampleSource';
import { TempDirs } from '../helpers/tempTree';
import { sha256, writeDataset } from './exportTestKit';

async function collect(drafts: AsyncIterable<Loaded<SampleDraft>>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const d of drafts) {
    out.push(d.ok
      ? { rel: d.value.sample.relPath, ext: d.value.ext, caption: d.value.caption, size: d.value.image.size, head: sha256(d.value.image.head), width: d.value.image.width, regions: d.value.hasRegions ?? 'later' }
      : { rel: d.skip.path, reason: d.skip.reason });
  }
  return out;
}

describe('readDrafts', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('reads the same drafts on the slow-storage (async) path as on the synchronous one', async () => {
    const root = await temp.make('ic-drafts-');
    const samples = await writeDataset(root, [
      { rel: 'a.jpg', width: 30, height: 20, caption: 'first' },
      { rel: 'b.png', width: 900, height: 700, caption: 'large, past the 1 MB head' },
      { rel: 'c.jpg', width: 8, height: 8 },
      { rel: 'd.JPEG', width: 9, height: 9, caption: Buffer.from([0xff, 0xfe, 0x41, 0x00]) },
    ]);
    assert.ok(fs.statSync(samples[1].imagePath).size > 1024 * 1024, 'b.png must pass the 1 MB head');
    fs.writeFileSync(path.join(root, 'a.regions.json'), '{"version":1,"image":{"width":30,"height":20},"regions":[]}');
    samples.push({ imagePath: path.join(root, 'gone.jpg'), relPath: 'gone.jpg', captionPath: path.join(root, 'a.txt'), boundary: samples[0].boundary });
    const sync = await collect(readDrafts(samples, true));
    const async = await collect(readDrafts(samples, true, -1));
    assert.deepEqual(sync.map((d) => ({ ...(d as object), regions: undefined })), async.map((d) => ({ ...(d as object), regions: undefined })));
    assert.deepEqual(sync.map((d) => (d as { reason?: string }).reason ?? (d as { ext: string }).ext), ['jpg', 'png', 'no caption', 'caption not UTF-8', 'image missing']);
    assert.deepEqual(sync.slice(0, 2).map((d) => (d as { regions: unknown }).regions), [true, false]);
    // Slowness shows only once a sample was read: the first is synchronous, the rest async (regions checked later).
    assert.deepEqual(async.slice(0, 2).map((d) => (d as { regions: unknown }).regions), [true, 'later']);
  });
});
