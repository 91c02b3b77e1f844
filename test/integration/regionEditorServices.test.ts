// The region editor's services in a real VS Code, driven through the browser: segment, describe and
// fuse through services the test gives it, and end to end through the ones the extension wires.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decodeRle, encodeRle } from '../../src/core/regions/cocoRle';
import type { RegionEditorServices } from '../../src/webviews/regionEditorServices';
import { regionMask } from '../../src/core/regions/rasterize';
import { writeSam } from '../fixtures/localModels/samModel';
import { startDamFakeServer } from '../fixtures/fakeServers/damFakeServer';
import { waitFor } from './extensionApi';
import { webviewFrame } from './browser';
import { api, click, folder, HEIGHT, newImage, openRegions, page, readSidecar, regionTabs, rows, useRegionEditorSuite, WIDTH } from './regionEditorHarness';

describe('region editor services', function () {
  useRegionEditorSuite('region-editor-services-test');

  it('without services the editor says what is not available', async () => {
    const { image } = await newImage();
    api.regionEditors.useServices({});
    const frame = await openRegions(image);
    assert.equal(await frame.locator('#describe-all').isDisabled(), true);
    assert.match((await frame.locator('#fuse').getAttribute('title')) ?? '', /not available/);
    await frame.locator('#tool-segment').click();
    await waitFor(async () => /segment/i.test((await frame.locator('#notice').textContent()) ?? ''), 'a notice that segmentation is not available');
  });

  it('click-to-segment: the mask of a click becomes a region at once, shift-clicks refine it, Enter starts the next object', async () => {
    const { image, sidecar } = await newImage();
    const prompts: Array<{ points: Array<{ x: number; y: number; positive: boolean }> }> = [];
    const services: RegionEditorServices = {
      segment: async (imagePath, prompt) => {
        assert.equal(imagePath, image);
        prompts.push(prompt as (typeof prompts)[number]);
        // a 32x24 mask: a block at columns 8..15, rows 6..17, narrower (to column 11) once a negative point came
        const negative = prompt.points.some((p) => !p.positive);
        const data = new Uint8Array(32 * 24);
        for (let r = 6; r < 18; r++) for (let c = 8; c < (negative ? 12 : 16); c++) data[r * 32 + c] = 1;
        return { rle: encodeRle({ width: 32, height: 24, data }), bbox: [0.25, 0.25, negative ? 0.125 : 0.25, 0.5], score: 0.9, model: 'fake/sam', millis: 12 };
      },
    };
    api.regionEditors.useServices(services);
    const frame = await openRegions(image);
    await frame.locator('#tool-segment').click();
    await click(frame, 0.4, 0.5);
    await waitFor(async () => (await rows(frame).count()) === 1, 'the mask of the first click is a region');
    await click(frame, 0.45, 0.5, ['Shift']);
    await waitFor(() => prompts.length === 2, 'the second click segmented');
    assert.deepEqual(prompts[1].points.map((p) => p.positive), [true, false], 'both clicks sent, shift-click negative');
    assert.ok(Math.abs(prompts[1].points[0].x - 0.4) < 0.02 && Math.abs(prompts[1].points[0].y - 0.5) < 0.02, JSON.stringify(prompts[1].points[0]));
    await waitFor(async () => /0\.125/.test(JSON.stringify(api.regionEditors.openDocuments()[0]?.sidecar.regions[0]?.bbox)), 'the region refined, not a second one');
    assert.equal(await rows(frame).count(), 1);
    await page.keyboard.press('Enter');
    await click(frame, 0.8, 0.2);
    await waitFor(async () => (await rows(frame).count()) === 2, 'after Enter a click starts a new object');
    assert.equal(prompts[2].points.length, 1, 'the new object starts from its own click');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(sidecar) && readSidecar(sidecar).regions.length === 2, 'saved');
    const [region] = readSidecar(sidecar).regions;
    assert.equal(region.kind, 'mask');
    assert.equal(region.source, 'segment');
    assert.equal(region.model, 'fake/sam');
    assert.equal(typeof region.rle!.counts, 'string');
    const mask = decodeRle(region.rle!);
    assert.equal(mask.data[10 * 32 + 10], 1);
    assert.equal(mask.data[10 * 32 + 13], 0, 'the refined mask, without what the negative click took away');
    assert.deepEqual(region.bbox, [0.25, 0.25, 0.125, 0.5]);
  });

  it('Describe All streams each region its own text, writes it into the sidecar, and a failure stays with its region', async () => {
    const { image, sidecar } = await newImage();
    const base = { kind: 'box' as const, description: '', model: '', updated: '2026-01-01T00:00:00.000Z', source: 'user' as const };
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [
      { ...base, id: 'r1', bbox: [0.1, 0.1, 0.2, 0.2] },
      { ...base, id: 'r2', bbox: [0.5, 0.5, 0.2, 0.2] },
      { ...base, id: 'r3', bbox: [0.7, 0.1, 0.2, 0.2] },
    ] }, null, 2));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const services: RegionEditorServices = {
      describe: async ({ region, onText, signal }) => {
        if (region.id === 'r3') throw new Error('the DAM server answered 500');
        onText?.(`streaming ${region.id}`);
        // r1 answers last: replies must still reach their own region
        if (region.id === 'r1') await gate;
        signal?.throwIfAborted();
        return { text: `described ${region.id}`, model: 'fake/dam' };
      },
    };
    api.regionEditors.useServices(services);
    const frame = await openRegions(image);
    await waitFor(async () => (await rows(frame).count()) === 3, 'three rows');
    await frame.locator('#describe-all').click();
    await waitFor(async () => (await rows(frame).nth(0).locator('.region-status').textContent()) === 'streaming r1', 'r1 streaming');
    await waitFor(async () => (await rows(frame).nth(1).locator('.region-description').inputValue()) === 'described r2', 'r2 described');
    await waitFor(async () => /500/.test((await rows(frame).nth(2).locator('.region-status').textContent()) ?? ''), 'r3 shows its error');
    release();
    await waitFor(async () => (await rows(frame).nth(0).locator('.region-description').inputValue()) === 'described r1', 'r1 described');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => readSidecar(sidecar).regions[0].description === 'described r1', 'saved');
    const saved = readSidecar(sidecar).regions;
    assert.deepEqual(saved.map((r) => [r.id, r.description, r.model]), [['r1', 'described r1', 'fake/dam'], ['r2', 'described r2', 'fake/dam'], ['r3', '', '']]);
  });

  it('Cancel stops a description: the service sees the abort and the region keeps its text', async () => {
    const { image, sidecar } = await newImage();
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [
      { id: 'r1', kind: 'box', bbox: [0.1, 0.1, 0.2, 0.2], description: 'kept', model: 'earlier', updated: '2026-01-01T00:00:00.000Z' },
    ] }));
    let aborted = false;
    api.regionEditors.useServices({
      describe: ({ onText, signal }) => new Promise((_, reject) => {
        onText?.('a slow ');
        signal?.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('aborted'));
        });
      }),
    });
    const frame = await openRegions(image);
    const row = rows(frame).nth(0);
    await row.locator('.region-describe').click();
    await waitFor(async () => (await row.locator('.region-status').textContent()) === 'a slow ', 'streaming');
    assert.equal(await row.locator('.region-describe').textContent(), 'Cancel');
    await row.locator('.region-describe').click();
    await waitFor(() => aborted, 'the service saw the abort');
    await waitFor(async () => (await row.locator('.region-status').isHidden()) && (await row.locator('.region-describe').textContent()) === 'Describe', 'the row back to Describe');
    assert.equal(await row.locator('.region-description').inputValue(), 'kept');
    assert.equal(regionTabs()[0]?.isDirty, false, 'nothing was changed');
  });

  it('Fuse with no described region says to describe them first and asks no model', async () => {
    const { image, sidecar } = await newImage();
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [
      { id: 'r1', kind: 'box', bbox: [0.1, 0.1, 0.2, 0.2], description: '', model: '', updated: '2026-01-01T00:00:00.000Z' },
    ] }));
    let asked = 0;
    api.regionEditors.useServices({ fuse: async () => ({ text: String(++asked), model: 'fake/fuser' }) });
    const frame = await openRegions(image);
    await frame.locator('#fuse').click();
    await waitFor(async () => /describe them first/.test((await frame.locator('#fuse-status').textContent()) ?? ''), 'the reason');
    assert.equal(asked, 0);
  });

  it('Fuse into Caption offers the fused text as a candidate in the caption editor; Replace is one undo step', async () => {
    const { image, sidecar } = await newImage();
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [
      { id: 'r1', kind: 'box', bbox: [0.1, 0.1, 0.2, 0.2], description: 'a blue sky', model: 'fake/dam', updated: '2026-01-01T00:00:00.000Z' },
    ] }, null, 2));
    let fusedRegions: unknown;
    api.regionEditors.useServices({
      fuse: async ({ regions, onText }) => {
        fusedRegions = regions.map((r) => r.description);
        onText?.('A photo ');
        return { text: 'A photo of a blue sky.', model: 'fake/fuser' };
      },
    });
    const frame = await openRegions(image);
    await waitFor(async () => (await rows(frame).count()) === 1, 'the region');
    await frame.locator('#fuse').click();
    await waitFor(async () => /Offered in the caption editor/.test((await frame.locator('#fuse-status').textContent()) ?? ''), 'fuse answered');
    assert.deepEqual(fusedRegions, ['a blue sky']);
    let caption = await webviewFrame(page, { title: path.basename(image), selector: '#caption' });
    await caption.locator('.candidate[data-state="done"]').waitFor({ timeout: 20_000 });
    // a hidden webview loses its page: shown again, it gets the candidate again from the host
    const other = vscode.Uri.file(path.join(folder, 'other.txt'));
    fs.writeFileSync(other.fsPath, 'another editor in front');
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.Two });
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(image), 'imageCaptioner.captionEditor', vscode.ViewColumn.Two);
    caption = await webviewFrame(page, { title: path.basename(image), selector: '#caption' });
    const card = caption.locator('.candidate[data-state="done"]');
    await card.waitFor({ timeout: 20_000 });
    assert.equal(await card.locator('.candidate-text').textContent(), 'A photo of a blue sky.');
    await card.locator('vscode-button.action-replace').click();
    await waitFor(async () => (await caption.locator('#caption textarea').inputValue()) === 'A photo of a blue sky.', 'the caption replaced');
    await vscode.commands.executeCommand('undo');
    await waitFor(async () => (await caption.locator('#caption textarea').inputValue()) === '', 'Replace undone in one step');
  });
  it('end to end with the services the extension wires: a click segmented by SAM in the worker, described by the Describe Anything server, saved', async function () {
    this.timeout(120_000);
    const modelFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-e2e-sam-'));
    await writeSam(modelFolder);
    const dam = await startDamFakeServer({ replyText: () => 'a blue patch of sky' });
    const config = vscode.workspace.getConfiguration('imageCaptioner');
    try {
      await config.update('segmentation.model', modelFolder, vscode.ConfigurationTarget.Global);
      await config.update('local.allowDownloads', false, vscode.ConfigurationTarget.Global);
      await config.update('dam.baseUrl', dam.url, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.captioning.registry.find('dam/describe-anything')?.baseUrl === dam.url, 'the DAM entry on the fake server');
      const { image, sidecar } = await newImage();
      const frame = await openRegions(image);
      await frame.locator('#tool-segment').click();
      await click(frame, 0.5, 0.5);
      await waitFor(async () => (await rows(frame).count()) === 1, 'the mask of the click is a region', 60_000);
      const row = rows(frame).nth(0);
      await row.locator('.region-describe').click();
      await waitFor(async () => (await row.locator('.region-description').inputValue()) === 'a blue patch of sky', 'the DAM description in the row', 30_000);
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor(() => fs.existsSync(sidecar) && readSidecar(sidecar).regions[0]?.description === 'a blue patch of sky', 'saved');
      const [region] = readSidecar(sidecar).regions;
      assert.deepEqual([region.kind, region.source, region.model], ['mask', 'segment', 'dam/describe-anything']);
      const mask = decodeRle(region.rle!);
      assert.equal(mask.data[Math.floor(mask.height / 2) * mask.width + Math.floor(mask.width / 2)], 1, 'inside at the click');
      assert.equal(mask.data[2 * mask.width + 2], 0, 'outside far from it');
      assert.equal(dam.requests.length, 1);
      const sent = dam.requests[0].image!;
      assert.equal(sent.channels, 4);
      const expected = regionMask(region, sent.width, sent.height).data;
      const wrong = [...expected].filter((inside, i) => (sent.alpha![i] > 0 ? 1 : 0) !== inside).length;
      assert.equal(wrong, 0, 'the server got the saved mask as the alpha channel, pixel by pixel');
    } finally {
      for (const key of ['segmentation.model', 'local.allowDownloads', 'dam.baseUrl']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      await dam.close();
      await api.localModels.client.stop();
      fs.rmSync(modelFolder, { recursive: true, force: true });
    }
  });
});
