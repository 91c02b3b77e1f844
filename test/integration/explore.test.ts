// The Explore panel ("Visualize Dataset") in a real VS Code, driven through the browser: the plot of the
// sample dataset, a box selection filling the gallery, the word cloud, caption edits written to disk and
// kept in step with a text editor, the layout cache on re-open, Show in Dataset View.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FrameLocator } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import { saveExploreCaption, type CaptionSaveDeps } from '../../src/webviews/exploreCaptionSave';
import { activateExtension, closeAllEditors, textDocumentInStepWithDisk, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot } from './browser';
import { boxSelectAll, exploreFrame, openExplore, plotSummary, wordCloudInkedPixels } from './exploreHarness';

/** A caption no other suite edits (their edits through VS Code would race with ours). */
const EDITED = 'objects/house.png';

describe('explore panel (Visualize Dataset)', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let frame: FrameLocator;
  let captionFile: string;
  let original: Buffer;

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    await closeAllEditors();
    captionFile = api.dataset.index!.captionPath(api.dataset.index!.findImage(path.join(api.dataset.index!.rootPath, EDITED))!);
    original = fs.readFileSync(captionFile);
  });

  after(async () => {
    if (!api) return;
    api.explore.panel?.dispose();
    await vscode.commands.executeCommand('imageCaptioner.clearDatasetFilter');
    await closeAllEditors();
    fs.writeFileSync(captionFile, original);
    await textDocumentInStepWithDisk(captionFile);
  });

  it('opens on the sample dataset and plots every image as a point, one colour per cluster', async () => {
    frame = await openExplore(api);
    const shown = api.explore.panel!.shownLayout!;
    const images = api.dataset.index!.size;
    assert.equal(shown.items.relPaths.length, images, 'captions of every image are laid out (built-in source)');
    assert.equal(shown.fromCache, false, 'a fresh workspace has no cached layout');
    const plot = await waitFor(async () => {
      const s = await plotSummary(frame);
      return s.points === images ? s : undefined;
    }, `${images} points in the plot`);
    const clusters = shown.layout.clusters.filter((c) => c.size > 0).length;
    assert.ok(clusters >= 2, `more than one cluster (${clusters})`);
    assert.equal(plot.colours, clusters, `one colour per non-empty cluster: ${JSON.stringify(plot)}`);
    assert.match((await frame.locator('#status').textContent()) ?? '', new RegExp(`${images} captions\\s+·\\s+k = ${shown.layout.clusters.length}`));
    await screenshot('explore-panel');
  });

  it('serves a re-opened panel on an unchanged dataset from the layout cache', async () => {
    api.explore.panel!.dispose();
    await waitFor(() => api.explore.panel === undefined, 'the panel closed');
    frame = await openExplore(api);
    assert.equal(api.explore.panel!.shownLayout!.fromCache, true);
    await waitFor(async () => (await frame.locator('#status').textContent())?.includes('from cache'), 'the status says the layout came from the cache');
  });

  it('a box drawn over the plot fills the gallery with the images inside it', async () => {
    await boxSelectAll(frame);
    const images = api.dataset.index!.size;
    await waitFor(async () => (await frame.locator('#group-title').textContent())?.includes(`Selection · ${images} items`), 'the selection named in the gallery title');
    const names = await waitFor(async () => {
      const shown = await frame.locator('#gallery .gallery-card[data-index] .gallery-name').allTextContents();
      return shown.length > 0 ? shown : undefined;
    }, 'gallery cards');
    const relPaths = api.explore.panel!.shownLayout!.items.relPaths;
    for (const name of names) assert.ok(relPaths.some((rel) => rel === name || rel.endsWith(`/${name}`)), `${name} is an item of the layout`);
    // The thumbnails load from the dataset folder (names with spaces, '&' and 'é' included), decoded by the browser.
    const loaded = await waitFor(async () => {
      const cards = await frame.locator('#gallery .gallery-card[data-index] img.gallery-thumb').evaluateAll((imgs) =>
        (imgs as unknown as Array<{ src: string; naturalWidth: number; complete: boolean }>).map((img) => ({ src: decodeURIComponent(img.src), width: img.naturalWidth, complete: img.complete })),
      );
      const odd = cards.find((c) => c.src.includes('cafés & more/'));
      return odd && odd.complete && cards.filter((c) => c.width > 0).length >= 3 ? { cards, odd } : undefined;
    }, 'thumbnails decoded in the gallery');
    assert.ok(loaded.odd.width > 0, `the thumbnail of ${loaded.odd.src} is decoded`);
    await screenshot('explore-selection');
  });

  it('paints the word cloud and the frequency table of the selection', async () => {
    const inked = await waitFor(async () => {
      const n = await wordCloudInkedPixels(frame);
      return n > 200 ? n : undefined;
    }, 'painted pixels in the word cloud');
    assert.ok(inked > 200);
    const rows = await frame.locator('#frequency-table tbody tr').count();
    assert.ok(rows > 3, `frequency rows (${rows})`);
  });

  it('Show in Dataset View filters the Dataset view to the selected images', async () => {
    const selected = api.explore.panel!.shownLayout!.items.relPaths.length;
    await frame.locator('#action-showInDatasetView').click();
    await waitFor(() => api.tree.query.startsWith('Explore:'), 'the Dataset view filtered by the group');
    assert.equal(api.tree.visibleImages().length, selected);
    await vscode.commands.executeCommand('imageCaptioner.clearDatasetFilter');
    assert.equal(api.tree.query, '');
    assert.equal(api.tree.visibleImages().length, api.dataset.index!.size);
  });

  it('Edit Tags runs on the selected images without asking for a scope', async () => {
    const selected = api.explore.panel!.shownLayout!.items.relPaths.length;
    const page = await getWorkbenchPage();
    await frame.locator('#action-editTags').click();
    const title = page.locator('.quick-input-widget .quick-input-title');
    await waitFor(async () => (await title.isVisible()) && (await title.textContent())?.startsWith(`Tag operation on ${selected} captions`), 'the tag operation picker for the selected images');
    await page.keyboard.press('Escape');
  });

  it('writes a caption edited in the gallery to its file, and a text editor of that file follows both ways', async () => {
    const index = api.explore.panel!.shownLayout!.items.relPaths.indexOf(EDITED);
    assert.ok(index >= 0);
    await textDocumentInStepWithDisk(captionFile);
    const doc = await vscode.workspace.openTextDocument(captionFile);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    frame = await exploreFrame();
    const card = await scrollToCard(frame, index);
    const typed = 'A small house drawn in flat colours, edited in the Explore gallery.';
    await card.locator('textarea.gallery-caption').fill(typed);
    await card.locator('textarea.gallery-caption').press('Control+Enter');
    await waitFor(() => fs.readFileSync(captionFile).equals(Buffer.from(typed, 'utf8')), 'the new caption bytes on disk');
    await waitFor(() => doc.getText() === typed && !doc.isDirty, 'the open text editor shows the saved caption');
    // and back: an edit saved in the text editor reaches the gallery card
    const elsewhere = 'A beige house with a red roof, edited in a text editor.';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), elsewhere);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await waitFor(async () => (await card.locator('textarea.gallery-caption').inputValue()) === elsewhere, 'the gallery card shows the text editor\'s caption');
    await screenshot('explore-caption-edit');
  });

});

/** The gallery card of item `index`, scrolled into the DOM (the gallery keeps only visible rows). */
async function scrollToCard(frame: FrameLocator, index: number) {
  const card = frame.locator(`#gallery .gallery-card[data-index="${index}"]`);
  await waitFor(async () => {
    if ((await card.count()) > 0) return true;
    await frame.locator('#gallery').evaluate((el) => el.scrollBy(0, 200));
    return false;
  }, `the gallery card of item ${index}`);
  await card.scrollIntoViewIfNeeded();
  return card;
}

describe('explore panel: caption saves follow the caption editor\'s rules', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  let folder: string;
  const saves = (): CaptionSaveDeps => ({ dataset: api.dataset, hasUnsavedCaption: (p) => api.editors.hasUnsavedCaption(p) });
  const image = (rel: string): ImageEntry => api.dataset.index!.findImage(path.join(api.dataset.index!.rootPath, ...rel.split('/')))!;

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    folder = path.join(api.dataset.rootPath!, 'explore-saves');
    fs.mkdirSync(folder, { recursive: true });
    const png = fs.readFileSync(api.dataset.index!.imagePath(image('checkerboard.png')));
    fs.writeFileSync(path.join(folder, 'latin.png'), png);
    fs.writeFileSync(path.join(folder, 'latin.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1: not UTF-8
    fs.writeFileSync(path.join(folder, 'fresh.png'), png);
    fs.writeFileSync(path.join(folder, 'typed.png'), png);
    fs.writeFileSync(path.join(folder, 'typed.txt'), 'saved text');
    await waitFor(() => ['latin.png', 'fresh.png', 'typed.png'].every((n) => image(`explore-saves/${n}`)), 'the new images indexed');
  });

  after(async () => {
    if (!api) return;
    await closeAllEditors();
    fs.rmSync(folder, { recursive: true, force: true });
    await waitFor(() => !image('explore-saves/fresh.png'), 'the test images gone from the index');
  });

  it('refuses a caption shared by two images, and one that is not UTF-8, leaving the bytes as they were', async () => {
    const shared = image('objects/ball.png');
    const sharedFile = api.dataset.index!.captionPath(shared);
    const before = fs.readFileSync(sharedFile);
    await assert.rejects(saveExploreCaption(shared, 'overwritten', saves()), /shares ball\.txt with another image.*Rename Image/);
    assert.deepEqual(fs.readFileSync(sharedFile), before);
    const latin = path.join(folder, 'latin.txt');
    await assert.rejects(saveExploreCaption(image('explore-saves/latin.png'), 'overwritten', saves()), /latin\.txt cannot be edited here: .*UTF-8/);
    assert.deepEqual(fs.readFileSync(latin), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });

  it('creates a missing caption file, and refuses a caption with unsaved text in an editor, keeping that text', async () => {
    assert.equal(await saveExploreCaption(image('explore-saves/fresh.png'), 'a new caption', saves()), 'a new caption');
    assert.equal(fs.readFileSync(path.join(folder, 'fresh.txt'), 'utf8'), 'a new caption');
    const typedFile = path.join(folder, 'typed.txt');
    const doc = await vscode.workspace.openTextDocument(typedFile);
    await vscode.window.showTextDocument(doc, { preview: false });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), 'unsaved ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await assert.rejects(saveExploreCaption(image('explore-saves/typed.png'), 'from the panel', saves()), /typed\.txt has unsaved changes in an editor: save or revert them there first/);
    assert.equal(doc.getText(), 'unsaved saved text', 'the editor keeps the user\'s text');
    assert.equal(fs.readFileSync(typedFile, 'utf8'), 'saved text');
  });
});
