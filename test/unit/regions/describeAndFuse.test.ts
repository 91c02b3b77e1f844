import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { describeAndFuse, RegionBatchItemError, RegionTextSource } from '../../../src/core/regions/describeAndFuse';
import type { Region } from '../../../src/core/regions/regionsSidecar';
import { TempDirs } from '../helpers/tempTree';

const region = (id: string, description: string): Region => ({ id, kind: 'box', bbox: [0.1, 0.1, 0.2, 0.2], description, model: description ? 'me' : '', updated: '' });

describe('a region batch item: describe what is missing, keep it, fuse', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  async function imageWith(regions: Region[] | undefined): Promise<{ image: string; sidecar: string; boundary: DatasetBoundary }> {
    const root = await temp.make();
    const image = path.join(root, 'cup.jpg');
    fs.writeFileSync(image, 'jpeg bytes');
    const sidecar = path.join(root, 'cup.regions.json');
    if (regions) fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: 100, height: 50 }, regions, mine: 1 }));
    return { image, sidecar, boundary: await DatasetBoundary.at(root) };
  }

  function source(calls: string[], onDescribe?: (id: string) => void): RegionTextSource {
    return {
      describe: async ({ region: r, sidecarImage }) => {
        calls.push(`describe ${r.id} ${sidecarImage.width}x${sidecarImage.height}`);
        onDescribe?.(r.id);
        return { text: ` the ${r.id} thing `, model: 'dam' };
      },
      fuse: async ({ regions }) => {
        calls.push(`fuse ${regions.map((r) => r.description).join(' | ')}`);
        return { text: 'one caption', model: 'fuser' };
      },
    };
  }

  it('describes only regions without text, saves each into the sidecar, and fuses them all', async () => {
    const { image, sidecar, boundary } = await imageWith([region('a', ''), region('b', 'kept text'), region('c', '  ')]);
    const calls: string[] = [];
    const text = await describeAndFuse(image, { boundary, source: source(calls), now: () => new Date('2026-01-01T00:00:00Z') }, new AbortController().signal);
    assert.equal(text, 'one caption');
    assert.deepEqual(calls, ['describe a 100x50', 'describe c 100x50', 'fuse the a thing | kept text | the c thing']);
    const saved = JSON.parse(fs.readFileSync(sidecar, 'utf8'));
    assert.deepEqual(saved.regions.map((r: Region) => [r.id, r.description, r.model, r.updated]), [
      ['a', 'the a thing', 'dam', '2026-01-01T00:00:00.000Z'],
      ['b', 'kept text', 'me', ''],
      ['c', 'the c thing', 'dam', '2026-01-01T00:00:00.000Z'],
    ]);
    assert.equal(saved.mine, 1, 'fields it does not know stay');
  });

  it('keeps what the user changed on disk meanwhile, and a region they deleted stays deleted', async () => {
    const { image, sidecar, boundary } = await imageWith([region('a', ''), region('b', '')]);
    const onDescribe = (id: string): void => {
      if (id !== 'a') return;
      const now = JSON.parse(fs.readFileSync(sidecar, 'utf8'));
      now.regions = [now.regions[0], { ...region('new', 'drawn meanwhile') }]; // b deleted, a new one drawn
      fs.writeFileSync(sidecar, JSON.stringify(now));
    };
    await describeAndFuse(image, { boundary, source: source([], onDescribe) }, new AbortController().signal);
    const saved = JSON.parse(fs.readFileSync(sidecar, 'utf8'));
    assert.deepEqual(saved.regions.map((r: Region) => [r.id, r.description]), [['a', 'the a thing'], ['new', 'drawn meanwhile']]);
  });

  it('a stopped batch resumes without asking again for what it kept', async () => {
    const { image, boundary } = await imageWith([region('a', ''), region('b', '')]);
    const abort = new AbortController();
    const first: string[] = [];
    await assert.rejects(describeAndFuse(image, { boundary, source: source(first, () => abort.abort()) }, abort.signal));
    assert.deepEqual(first, ['describe a 100x50']);
    const second: string[] = [];
    await describeAndFuse(image, { boundary, source: source(second) }, new AbortController().signal);
    assert.deepEqual(second, ['describe b 100x50', 'fuse the a thing | the b thing']);
  });

  it('never writes regions open with unsaved changes, and says so', async () => {
    const { image, sidecar, boundary } = await imageWith([region('a', '')]);
    const before = fs.readFileSync(sidecar);
    await assert.rejects(
      describeAndFuse(image, { boundary, source: source([]), isRegionsProtected: (f) => f === sidecar }, new AbortController().signal),
      (e: Error) => e instanceof RegionBatchItemError && /open with unsaved changes/.test(e.message),
    );
    assert.deepEqual(fs.readFileSync(sidecar), before);
  });

  it('an image without regions fails with what to do; a malformed sidecar fails and stays as it is', async () => {
    const none = await imageWith(undefined);
    await assert.rejects(describeAndFuse(none.image, { boundary: none.boundary, source: source([]) }, new AbortController().signal), /has no regions: draw some in the region editor first/);
    const bad = await imageWith([]);
    fs.writeFileSync(bad.sidecar, '{"version":1,');
    await assert.rejects(describeAndFuse(bad.image, { boundary: bad.boundary, source: source([]) }, new AbortController().signal), /is not valid JSON \(line 1, column 13: unexpected .,.\)$/);
    assert.equal(fs.readFileSync(bad.sidecar, 'utf8'), '{"version":1,');
  });
});
