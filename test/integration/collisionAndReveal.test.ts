// Resolving a stem collision through the real UI, and revealing the edited image in the dataset view.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';

describe('collisions and reveal', function () {
  let api: ImageCaptionerApi;

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
  });

  afterEach(closeAllEditors);

  const restore: Array<() => void> = [];
  after(async () => {
    // Later suites expect the sample's collision: put the files back as they were.
    for (const undo of restore.reverse()) undo();
    if (api) await waitFor(() => api.dataset.index!.images().some((img) => img.collision), 'the collision restored');
  });

  it('reveals the image of the caption editor in the dataset view', async () => {
    const index = api.dataset.index!;
    const nested = index.images().find((img) => img.folder.relPath.includes('/'))!;
    await openCaptionEditor(api, nested);
    await vscode.commands.executeCommand('imageCaptioner.revealInDatasetView');
    await waitFor(() => api.treeView.selection[0] === nested, 'the image selected in the tree');
    const page = await getWorkbenchPage();
    await page.locator(`.monaco-list-row.selected >> text=${nested.name}`).first().waitFor({ state: 'visible' });
  });

  it('shows why a shared caption is read-only, and renaming one image resolves the collision', async () => {
    const index = api.dataset.index!;
    const colliding = index.images().filter((img) => img.collision);
    assert.ok(colliding.length >= 2, 'the sample dataset has a collision pair');
    const [first] = colliding;
    const folder = first.folder.absPath;
    const sharedCaption = index.captionPath(first);
    const captionBytes = fs.readFileSync(sharedCaption);
    await openCaptionEditor(api, first);
    const page = await getWorkbenchPage();
    const frame = await webviewFrame(page, { title: first.name, selector: '#caption' });
    await frame.locator('.warning').waitFor({ state: 'visible' });
    assert.match((await frame.locator('.warning-text').textContent()) ?? '', /shares .* Rename/);
    assert.equal(await frame.locator('#caption textarea').evaluate((t) => (t as unknown as { readOnly: boolean }).readOnly), true);

    await frame.locator('button.rename').click();
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    const stem = path.parse(first.name).name;
    const newName = `${stem}-second${path.extname(first.name)}`;
    await input.fill(newName);
    await input.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Copy the shared caption' }).first().click();
    await screenshot('collision-renamed');

    const renamed = path.join(folder, newName);
    restore.push(() => {
      fs.renameSync(renamed, path.join(folder, first.name));
      fs.rmSync(path.join(folder, `${stem}-second.txt`), { force: true });
    });
    const copiedCaption = path.join(folder, `${stem}-second.txt`);
    await waitFor(() => fs.existsSync(renamed) && fs.existsSync(copiedCaption), 'the renamed image and its caption on disk');
    assert.equal(fs.existsSync(path.join(folder, first.name)), false, 'the old name is gone');
    assert.deepEqual(fs.readFileSync(copiedCaption), captionBytes, 'the caption was copied byte for byte');
    assert.deepEqual(fs.readFileSync(sharedCaption), captionBytes, 'the other image keeps its caption');
    await waitFor(() => {
      const now = api.dataset.index!;
      const entry = now.findImage(renamed);
      return entry && !entry.collision && now.images().filter((img) => img.folder.absPath === folder && img.collision).length === 0;
    }, 'no collision left in the folder');
    // The editor now shows the renamed image, editable, with its own caption file.
    const after = await webviewFrame(page, { title: newName, selector: '#caption' });
    await after.locator('.warning').waitFor({ state: 'hidden' });
    assert.equal(await after.locator('#caption textarea').evaluate((t) => (t as unknown as { readOnly: boolean }).readOnly), false);
    assert.match((await after.locator('.caption-file').textContent()) ?? '', new RegExp(`^${stem}-second\\.txt$`));
  });

  it('an open editor of the other image becomes editable once the collision is resolved', async () => {
    // The previous test resolved the sample's collision; its partner is now an ordinary image.
    const index = api.dataset.index!;
    const partner = index.images().find((img) => /^ball\./.test(img.name))!;
    const original = fs.readFileSync(index.captionPath(partner));
    restore.push(() => fs.writeFileSync(index.captionPath(partner), original));
    assert.equal(partner.collision, false);
    await openCaptionEditor(api, partner);
    const frame = await webviewFrame(await getWorkbenchPage(), { title: partner.name, selector: '#caption' });
    assert.equal(await frame.locator('.warning').isVisible(), false);
    await frame.locator('#caption textarea').pressSequentially(' Edited.');
    // a save takes what the host has: wait until every keystroke reached it
    await waitFor(() => api.editors.activeDocument?.text.endsWith(' Edited.'), 'the typing in the host document');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.readFileSync(index.captionPath(partner), 'utf8').endsWith(' Edited.'), 'saved caption of the former partner');
  });
});
