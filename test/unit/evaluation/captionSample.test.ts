import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { captionSample, modelFolderName, SampleImage } from '../../../src/core/evaluation/captionSample';
import { ProviderError } from '../../../src/providers/types';
import { snapshotTree, TempDirs, writeTree } from '../helpers/tempTree';

describe('captioning an evaluation sample', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  async function dataset(): Promise<{ root: string; images: SampleImage[] }> {
    const root = await temp.make();
    await writeTree(root, { 'a.jpg': 'x', 'a.txt': 'live caption', 'sub/b.jpg': 'x', 'c.jpg': 'x' });
    const images = ['a.jpg', 'sub/b.jpg', 'c.jpg'].map((rel) => {
      const imagePath = path.join(root, ...rel.split('/'));
      return { path: rel, imagePath, captionPath: imagePath.replace(/\.jpg$/, '.txt') };
    });
    return { root, images };
  }

  it('writes candidates under the report folder, mirrors caption paths, records times and errors, and leaves the dataset alone', async () => {
    const { root, images } = await dataset();
    const before = await snapshotTree(root);
    const reportFolder = path.join(await temp.make(), 'evaluations', 'r1');
    const { captions, summary } = await captionSample({
      reportFolder, modelFolder: modelFolderName('org/model:7b', 0), modelId: 'org/model:7b', datasetRoot: root, images,
      retry: { maxAttempts: 1 },
      generate: async (imagePath) => {
        if (imagePath.endsWith('c.jpg')) throw new ProviderError('server', 'HTTP 500 from the fake', { status: 500 });
        return { text: `caption of ${path.basename(imagePath)}`, elapsedMs: 42 };
      },
    });
    assert.equal(summary.written, 2);
    assert.deepEqual(captions.get('a.jpg'), { text: 'caption of a.jpg', elapsedMs: 42 });
    assert.deepEqual(captions.get('sub/b.jpg'), { text: 'caption of b.jpg', elapsedMs: 42 });
    assert.match(captions.get('c.jpg')!.error!, /HTTP 500 from the fake/);
    const folder = path.join(reportFolder, 'captions', '1-org_model_7b');
    assert.equal(await fs.readFile(path.join(folder, 'a.txt'), 'utf8'), 'caption of a.jpg');
    assert.equal(await fs.readFile(path.join(folder, 'sub', 'b.txt'), 'utf8'), 'caption of b.jpg');
    assert.deepEqual(await snapshotTree(root), before, 'no file of the dataset changed');
    assert.ok(summary.journalFile?.startsWith(path.join(reportFolder, 'journal')), 'the unfinished job keeps its journal beside the report');
  });

  it('a cancelled run returns what it has and leaves the rest out', async () => {
    const { root, images } = await dataset();
    const reportFolder = path.join(await temp.make(), 'r2');
    const abort = new AbortController();
    const { captions, summary } = await captionSample({
      reportFolder, modelFolder: 'm', modelId: 'm', datasetRoot: root, images, concurrency: 1, signal: abort.signal,
      generate: async (imagePath, signal) => {
        if (imagePath.endsWith('a.jpg')) return { text: 'first', elapsedMs: 1 };
        abort.abort();
        signal.throwIfAborted();
        return { text: 'never', elapsedMs: 1 };
      },
    });
    assert.equal(summary.cancelled, true);
    assert.deepEqual([...captions.keys()], ['a.jpg']);
  });

  it('names model folders safely and uniquely by position', () => {
    assert.equal(modelFolderName('../../etc', 2), '3-__.._etc');
    assert.equal(modelFolderName('gpt-4o', 0), '1-gpt-4o');
  });
});
