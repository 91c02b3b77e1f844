// A region batch in a real VS Code: Describe Regions and Fuse into Captions… describes the regions
// still without text on the Describe Anything server, keeps each in the sidecar, fuses them with a
// chat model into the caption in the batch's mode, and Retry Failed does the same again (not a plain
// caption). Fake servers on 127.0.0.1 speak the real wire formats.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import type { BatchReport } from '../../src/services/batchRunner';
import { regionMask } from '../../src/core/regions/rasterize';
import type { Region } from '../../src/core/regions/regionsSidecar';
import { DamFakeServer, startDamFakeServer } from '../fixtures/fakeServers/damFakeServer';
import { OpenAiFakeServer, startOpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';

describe('region batches', function () {
  this.timeout(90_000);
  let api: ImageCaptionerApi;
  let dam: DamFakeServer;
  let fuser: OpenAiFakeServer;
  const restore: Array<() => void> = [];
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');
  const settings = ['models', 'dam.baseUrl', 'regions.fuseModel', 'batch.mode'];

  before(async () => {
    api = await activateExtension();
    dam = await startDamFakeServer({ replyText: (r) => `a described thing ${r.number}` });
    fuser = await startOpenAiFakeServer({ replyText: () => 'One woven caption.' });
    await config().update('models', [
      { id: 'test/fuser', label: 'Fuser VLM', provider: 'openai-compatible', baseUrl: fuser.url, model: 'fuser-vlm', key: 'none', capabilities: { stream: false } },
    ], vscode.ConfigurationTarget.Global);
    await config().update('dam.baseUrl', dam.url, vscode.ConfigurationTarget.Global);
    await config().update('regions.fuseModel', 'test/fuser', vscode.ConfigurationTarget.Global);
    await config().update('batch.mode', 'append', vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/fuser') && api.captioning.registry.find('dam/describe-anything')?.baseUrl === dam.url, 'the models in the registry');
  });

  after(async () => {
    await closeAllEditors();
    for (const undo of restore.reverse()) undo();
    for (const key of settings) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await dam?.close();
    await fuser?.close();
  });

  const keepOriginal = (file: string): void => {
    const original = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    restore.push(() => (original ? fs.writeFileSync(file, original) : fs.rmSync(file, { force: true })));
  };
  const captionedJpegs = (count: number): ImageEntry[] => {
    const found = api.dataset.index!.images().filter((img) => hasCaptionOnDisk(api.dataset.index!.captionPath(img)) && !img.collision && /\.jpe?g$/i.test(img.name)).slice(0, count);
    assert.equal(found.length, count, 'enough captioned JPEGs in the sample dataset');
    return found;
  };
  const pathOf = (img: ImageEntry): string => api.dataset.index!.imagePath(img);
  const captionOf = (img: ImageEntry): string => api.dataset.index!.captionPath(img);
  const regionsOf = (img: ImageEntry): string => pathOf(img).replace(/\.[^.]+$/, '.regions.json');
  const region = (id: string, description: string, bbox: [number, number, number, number]): Region => ({ id, kind: 'box', bbox, description, model: description ? 'me' : '', updated: '', source: 'user' });

  it('describes only the regions without text, keeps them in the sidecar, fuses them into the caption, and leaves out images without regions', async () => {
    const [withRegions, without] = captionedJpegs(2);
    for (const file of [captionOf(withRegions), captionOf(without), regionsOf(withRegions), regionsOf(without)]) keepOriginal(file);
    fs.rmSync(regionsOf(without), { force: true });
    fs.writeFileSync(captionOf(withRegions), 'A table.\n');
    const blank = region('r1', '', [0.25, 0.5, 0.5, 0.25]);
    fs.writeFileSync(regionsOf(withRegions), JSON.stringify({ version: 1, image: { width: 64, height: 48 }, regions: [blank, region('r2', 'a red mug', [0, 0, 0.2, 0.2])] }));
    const damBefore = dam.requests.length;
    const fuseBefore = fuser.requests.length;

    const report = (await vscode.commands.executeCommand('imageCaptioner.regions.fuseSelected', vscode.Uri.file(pathOf(withRegions)), [withRegions, without].map((img) => vscode.Uri.file(pathOf(img))))) as BatchReport;
    assert.equal(report.kind, 'regions');
    assert.equal(report.model.id, 'test/fuser');
    assert.deepEqual([report.summary.outcomes.length, report.summary.written, report.summary.failed], [1, 1, 0], 'the image without regions is left out');

    const asked = dam.requests.slice(damBefore);
    assert.equal(asked.length, 1, 'only the region without a description is described');
    assert.equal(asked[0].refused, undefined);
    const image = asked[0].image!;
    const expected = regionMask(blank, image.width, image.height).data;
    assert.equal(image.channels, 4);
    const wrong = [...expected].filter((inside, i) => (image.alpha![i] > 0 ? 1 : 0) !== inside).length;
    assert.equal(wrong, 0, 'the alpha channel is the region, pixel by pixel');

    const saved = JSON.parse(fs.readFileSync(regionsOf(withRegions), 'utf8'));
    assert.deepEqual(saved.regions.map((r: Region) => [r.id, r.description, r.model]), [['r1', `a described thing ${asked[0].number}`, 'dam/describe-anything'], ['r2', 'a red mug', 'me']]);

    const fused = fuser.requests.slice(fuseBefore);
    assert.equal(fused.length, 1);
    const prompt = JSON.stringify(fused[0].body.messages);
    assert.ok(prompt.includes(`a described thing ${asked[0].number}`) && prompt.includes('a red mug'), 'the fuse request carries both descriptions');
    assert.equal(fs.readFileSync(captionOf(withRegions), 'utf8'), 'A table. One woven caption.\n', 'appended, the batch mode');
    assert.equal(fs.existsSync(regionsOf(without)), false, 'no regions file made for the image without regions');
  });

  it('a region batch aimed at the second caption writes the fused text into .tags.txt only', async () => {
    await config().update('secondCaption.extension', '.tags.txt', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => api.dataset.state === 'ready' && api.dataset.index?.options.secondCaptionExtension === '.tags.txt', 'the dataset re-indexed with second captions');
      const [img] = captionedJpegs(1);
      const tags = api.dataset.index!.secondCaptionPath(img)!;
      for (const file of [captionOf(img), regionsOf(img), tags]) keepOriginal(file);
      fs.writeFileSync(captionOf(img), 'A prose caption.\n');
      fs.writeFileSync(tags, 'table');
      fs.writeFileSync(regionsOf(img), JSON.stringify({ version: 1, image: { width: 64, height: 48 }, regions: [region('a', 'a lamp', [0.1, 0.1, 0.3, 0.3])] }));
      const report = (await vscode.commands.executeCommand('imageCaptioner.regions.fuseSelected', vscode.Uri.file(pathOf(img)), [vscode.Uri.file(pathOf(img))], { target: 'second' })) as BatchReport;
      assert.deepEqual([report.kind, report.summary.written, report.summary.failed], ['regions', 1, 0]);
      assert.equal(fs.readFileSync(tags, 'utf8'), 'table One woven caption.', 'appended to the second caption (the batch mode)');
      assert.equal(fs.readFileSync(captionOf(img), 'utf8'), 'A prose caption.\n', 'the caption is untouched');
    } finally {
      await config().update('secondCaption.extension', undefined, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.dataset.state === 'ready' && !api.dataset.index?.options.secondCaptionExtension, 'the dataset re-indexed without second captions');
    }
  });

  it('Retry Failed of a region batch describes and fuses again, not a plain caption', async () => {
    const [img] = captionedJpegs(1);
    for (const file of [captionOf(img), regionsOf(img)]) keepOriginal(file);
    fs.writeFileSync(captionOf(img), 'A shelf.\n');
    fs.writeFileSync(regionsOf(img), JSON.stringify({ version: 1, image: { width: 64, height: 48 }, regions: [region('a', '', [0.1, 0.1, 0.3, 0.3])] }));
    const stop = dam.requests.length;
    dam.enqueue({ kind: 'status', status: 400, body: { detail: 'bad request' } }); // a 400 is not retried: the image fails
    const first = (await vscode.commands.executeCommand('imageCaptioner.regions.fuseSelected', vscode.Uri.file(pathOf(img)), [vscode.Uri.file(pathOf(img))])) as BatchReport;
    assert.equal(first.summary.failed, 1, `failed: ${JSON.stringify(first.summary.outcomes)}`);
    assert.equal(fs.readFileSync(captionOf(img), 'utf8'), 'A shelf.\n', 'the caption is untouched');
    const fuseBefore = fuser.requests.length;

    const retried = (await vscode.commands.executeCommand('imageCaptioner.retryFailedCaptions')) as BatchReport;
    assert.equal(retried.kind, 'regions');
    assert.deepEqual([retried.summary.written, retried.summary.failed], [1, 0]);
    assert.equal(dam.requests.length - stop, 2, 'the region was described on the retry');
    assert.equal(fuser.requests.length - fuseBefore, 1);
    const described = JSON.parse(fs.readFileSync(regionsOf(img), 'utf8')).regions[0].description as string;
    assert.match(described, /^a described thing \d+$/);
    assert.ok(JSON.stringify(fuser.requests.at(-1)!.body.messages).includes(described), 'a fuse request carrying the description, not a caption request');
    assert.equal(fs.readFileSync(captionOf(img), 'utf8'), 'A shelf. One woven caption.\n');
  });
});

/** The caption file holds text now (read from disk: a file an earlier suite put back may not be re-read by the index yet). */
function hasCaptionOnDisk(file: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8').trim().length > 0;
  } catch {
    return false;
  }
}
