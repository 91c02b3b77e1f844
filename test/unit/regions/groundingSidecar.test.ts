import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RegionsSidecarKeptError, saveGroundedRegions } from '../../../src/core/regions/groundingSidecar';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { readRegions } from '../../../src/core/regions/regionsSidecar';
import { TempDirs } from '../helpers/tempTree';

const phrases = [{ phrase: 'a red ball', boxes: [[0.1, 0.2, 0.5, 0.6]] as const }];
const context = { model: 'nim/kosmos-2', width: 640, height: 480, now: new Date('2025-01-02T03:04:05.000Z') };

describe('grounded regions: only a missing sidecar starts a new one', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  async function sidecarWith(content: string | Buffer): Promise<string> {
    const file = path.join(await temp.make(), 'photo.regions.json');
    fs.writeFileSync(file, content);
    return file;
  }

  it('starts a sidecar where there is none', async () => {
    const file = path.join(await temp.make(), 'photo.regions.json');
    await saveGroundedRegions(file, DatasetBoundary.atSync(path.dirname(file)), phrases, context);
    const written = await readRegions(file, DatasetBoundary.atSync(path.dirname(file)));
    assert.deepEqual(written, {
      version: 1,
      image: { width: 640, height: 480 },
      regions: [{ id: 'g1', kind: 'box', bbox: [0.1, 0.2, 0.4, 0.4], label: 'a red ball', description: 'a red ball', model: 'nim/kosmos-2', updated: '2025-01-02T03:04:05.000Z', source: 'grounding' }],
    });
  });

  it('keeps regions of other sources and fields it does not know, and replaces only earlier grounded ones', async () => {
    const drawn = { id: 'r1', kind: 'polygon', bbox: [0, 0, 0.5, 0.5], points: [[0, 0], [0.5, 0], [0.5, 0.5]], description: 'a hand-drawn cat', model: 'describe-anything', updated: '2024-12-01T00:00:00.000Z', source: 'user' };
    const unsourced = { id: 'r2', kind: 'box', bbox: [0.5, 0.5, 0.1, 0.1], description: 'no source field', model: 'm', updated: '2024-12-01T00:00:00.000Z' };
    const oldGrounded = { id: 'g1', kind: 'box', bbox: [0, 0, 1, 1], description: 'old phrase', model: 'nim/kosmos-2', updated: '2024-01-01T00:00:00.000Z', source: 'grounding' };
    const file = await sidecarWith(JSON.stringify({ version: 1, image: { width: 4000, height: 3000 }, regions: [drawn, oldGrounded, unsourced], notes: 'my own field' }));
    await saveGroundedRegions(file, DatasetBoundary.atSync(path.dirname(file)), phrases, context);
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(written.image, { width: 4000, height: 3000 }, 'the size of the image the user described');
    assert.equal(written.notes, 'my own field');
    assert.deepEqual(written.regions.slice(0, 2), [drawn, unsourced]);
    assert.deepEqual(written.regions.slice(2).map((r: { description: string }) => r.description), ['a red ball']);
  });

  const unusable: Array<[string, string | Buffer, RegExp]> = [
    ['not JSON', '{"version": 1, "regions": [ { "id": "r1", ', /it is not valid JSON/],
    ['a newer version', JSON.stringify({ version: 2, regions: [], shapes: { kept: true } }), /it has regions version 2, newer than this Image Captioner reads \(1\); update the extension/],
    ['not UTF-8 (a Latin-1 label)', Buffer.concat([Buffer.from('{"version":1,"regions":[{"id":"r1","label":"caf'), Buffer.from([0xe9]), Buffer.from('"}]}')]), /it is not UTF-8 text$/],
    ['JSON null', 'null', /it is not a version 1 regions file \(line 1, column 1: a regions file is a JSON object\)/],
    ['a JSON array', '[{"version":1}]', /it is not a version 1 regions file \(line 1, column 1: a regions file is a JSON object\)/],
    ['version 1 without regions', '{"version":1,"image":{"width":1,"height":1}}', /it is not a version 1 regions file \(line 1, column 1: "regions" must be a list\)/],
    ['a version given as text', '{"version":"1","regions":[]}', /it is not a version 1 regions file \(line 1, column 12: "version" must be 1\)/],
    ['a polygon of two points', '{"version":1,"image":{"width":4,"height":4},\n"regions":[\n {"id":"p","kind":"polygon","bbox":[0,0,1,1],"points":[[0,0],[1,1]],"description":"","model":"m","updated":""}]}', /it is not a version 1 regions file \(line 3, column 2: region 1: a polygon needs at least 3 points\)/],
  ];
  for (const [what, content, message] of unusable) {
    it(`keeps a sidecar that is ${what} byte for byte, writes nothing, and says why`, async () => {
      const file = await sidecarWith(content);
      const before = fs.readFileSync(file);
      const error = await saveGroundedRegions(file, DatasetBoundary.atSync(path.dirname(file)), phrases, context).then(() => undefined, (err: unknown) => err);
      assert.ok(error instanceof RegionsSidecarKeptError, String(error));
      assert.equal(error.file, file);
      assert.match(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was left as it was, so the grounded regions were not saved: `));
      assert.match(error.message, message);
      assert.deepEqual(fs.readFileSync(file), before);
      assert.deepEqual(fs.readdirSync(path.dirname(file)), ['photo.regions.json'], 'no temp file left either');
    });
  }

  it('never writes regions open with unsaved changes, and says so', async () => {
    const file = await sidecarWith('{"version":1,"image":{"width":2,"height":2},"regions":[]}');
    const before = fs.readFileSync(file);
    await assert.rejects(
      saveGroundedRegions(file, DatasetBoundary.atSync(path.dirname(file)), phrases, context, (f) => f === file),
      (err: Error) => err instanceof RegionsSidecarKeptError && /it is open with unsaved changes/.test(err.message),
    );
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it('keeps a sidecar path that cannot be read (a folder) and says so', async () => {
    const file = path.join(await temp.make(), 'photo.regions.json');
    fs.mkdirSync(file);
    await assert.rejects(saveGroundedRegions(file, DatasetBoundary.atSync(path.dirname(file)), phrases, context), (err: Error) => err instanceof RegionsSidecarKeptError && /it cannot be read \(.*is a folder, not a regular file/.test(err.message));
    assert.ok(fs.statSync(file).isDirectory());
  });
});
