// The region editor in a folder that is not trusted: regions can be drawn and saved, but no
// segmenter, describer or fuser is asked, and the editor says why.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import sharp from 'sharp';
import type { ImageCaptionerApi } from '../../../src/extension';
import type { RegionsSidecar } from '../../../src/core/regions/regionsSidecar';
import { activateExtension, closeAllEditors, waitFor } from '../extensionApi';
import { getWorkbenchPage, hasBrowser, webviewFrame } from '../browser';

describe('untrusted workspace: region editor', function () {
  let api: ImageCaptionerApi;
  let folder: string;

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    folder = path.join(api.dataset.rootPath!, 'untrusted-regions');
    fs.mkdirSync(folder, { recursive: true });
  });

  after(async () => {
    api?.regionEditors.useServices(); // the wired ones again
    await closeAllEditors();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('draws and saves regions, asks no model, and says the workspace is not trusted', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const image = path.join(folder, 'picture.png');
    const sidecar = path.join(folder, 'picture.regions.json');
    await sharp({ create: { width: 200, height: 150, channels: 3, background: { r: 200, g: 60, b: 60 } } }).png().toFile(image);
    const calls: string[] = [];
    api.regionEditors.useServices({
      segment: async () => {
        calls.push('segment');
        throw new Error('must not be asked');
      },
      describe: async () => {
        calls.push('describe');
        return { text: 'must not be asked', model: 'x' };
      },
      fuse: async () => {
        calls.push('fuse');
        return { text: 'must not be asked', model: 'x' };
      },
    });
    await vscode.commands.executeCommand('imageCaptioner.editRegions', vscode.Uri.file(image));
    const page = await getWorkbenchPage();
    const frame = await webviewFrame(page, { title: 'Regions: picture.png', selector: '#overlay' });
    await waitFor(() => frame.locator('img.image').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the image');
    assert.equal(await frame.locator('#describe-all').isDisabled(), true);
    assert.match((await frame.locator('#fuse').getAttribute('title')) ?? '', /not trusted/);
    const box = (await frame.locator('img.image').boundingBox())!;
    await frame.locator('#tool-segment').click();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitFor(async () => /not trusted/.test((await frame.locator('#notice').textContent()) ?? ''), 'the segment click says why nothing happens');
    await frame.locator('#tool-rect').click();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
    await page.mouse.up();
    await waitFor(async () => (await frame.locator('#region-list .region-row').count()) === 1, 'the box drawn');
    assert.equal(await frame.locator('.region-describe').isDisabled(), true);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(sidecar), 'saved in restricted mode');
    assert.equal((JSON.parse(fs.readFileSync(sidecar, 'utf8')) as RegionsSidecar).regions.length, 1);
    assert.deepEqual(calls, [], 'no service was asked');
  });
});
