import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportWebDataset } from '../../../src/core/export';
import { TempDirs } from '../helpers/tempTree';
import { listDir, webdatasetSamples, writeDataset } from './exportTestKit';

describe('exportWebDataset: keys given by the caller (sharded exports)', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('uses each sample\'s own key for its members and its json, gaps and all', async () => {
    const root = await temp.make('ic-wds-keys-');
    fs.mkdirSync(path.join(root, 'ds'));
    const samples = await writeDataset(path.join(root, 'ds'), [
      { rel: 'a.jpg', width: 8, height: 8, caption: 'a' },
      { rel: 'b.jpg', width: 8, height: 8, caption: 'b' },
    ]);
    await exportWebDataset([{ ...samples[0], key: '000000007' }, { ...samples[1], key: '000000042' }], { outDir: path.join(root, 'out'), name: 'part' });
    const got = webdatasetSamples(path.join(root, 'out', 'part-000000.tar'));
    assert.deepEqual(got.map((s) => [s.__key__, s.txt, (s.json as { key: string }).key]), [['000000007', 'a', '000000007'], ['000000042', 'b', '000000042']]);
  });

  it('refuses a key with a dot or a slash (webdataset would split the sample) and leaves no shard', async () => {
    const root = await temp.make('ic-wds-badkey-');
    fs.mkdirSync(path.join(root, 'ds'));
    const [sample] = await writeDataset(path.join(root, 'ds'), [{ rel: 'a.jpg', width: 8, height: 8, caption: 'a' }]);
    for (const key of ['1.2', 'x/y', '']) {
      await assert.rejects(exportWebDataset([{ ...sample, key }], { outDir: path.join(root, 'out') }), /must be letters, digits, _ or - \(no dot or slash\)/);
    }
    assert.deepEqual(listDir(path.join(root, 'out')), []);
  });
});
