// Images as a user meets them in a real VS Code: a decompression bomb and bytes that are no image,
// "Open with Caption Editor" while VS Code's own image preview shows an image, and Fit on an icon.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as vscode from 'vscode';
import type { FrameLocator } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import { pngClaiming } from '../fixtures/images/bombImages';
import { activateExtension, activeCaptionEditorPath, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';
import { note } from './index';
import { WEBVIEW_LOAD_TIMEOUT_MS } from '../../src/webviews/webviewLoadWatchdog';
import { reopenCustomEditorTab } from '../../src/webviews/webviewLoader';
import { CAPTION_EDITOR_VIEW_TYPE } from '../../src/webviews/captionEditorViewType';

const FOLDER = 'image-checks';
const IMAGE_PREVIEW = 'imagePreview.previewEditor';

/** What the tests read of the webview's <img> (the node type-check has no DOM types). */
interface ImageNode {
  readonly hidden: boolean;
  readonly complete: boolean;
  readonly naturalWidth: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
  readonly parentElement: { clientWidth: number; clientHeight: number };
  readonly ownerDocument: { defaultView: { getComputedStyle(node: unknown): { imageRendering: string } } };
}

/** The tooltip as a reader sees it (MarkdownString.appendText escapes spaces and punctuation). */
function tooltipOf(item: vscode.TreeItem): string {
  const text = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
  return text.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>])/g, '$1');
}

/**
 * The caption editor's content frame. VS Code 1.99's web workbench now and then gives a new webview no
 * content frame at all; the extension's load watchdog then sets the HTML again and, that failing,
 * closes the tab and opens it again (src/webviews/webviewLoader.ts): the wait covers both steps.
 */
async function editorFrame(image: ImageEntry): Promise<FrameLocator> {
  const started = Date.now();
  const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#caption', timeoutMs: 3 * WEBVIEW_LOAD_TIMEOUT_MS + 20_000 });
  const ms = Date.now() - started;
  if (ms > WEBVIEW_LOAD_TIMEOUT_MS) note(`the caption editor of ${image.name} took ${(ms / 1000).toFixed(1)} s to show: the load watchdog stepped in`);
  return frame;
}

describe('images in the dataset view and the caption editor', function () {
  this.timeout(90_000);
  let api: ImageCaptionerApi;
  let folder: string;

  const image = (name: string): ImageEntry => {
    const found = api.dataset.index!.folder(FOLDER)?.images.find((img) => img.name === name);
    assert.ok(found, `${name} is in the index`);
    return found;
  };

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    folder = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, FOLDER);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'bomb.png'), pngClaiming(60_000, 60_000));
    fs.writeFileSync(path.join(folder, 'notes.jpg'), 'a cat on a sofa, written by hand\n');
    // An 8x8 sprite: a checkerboard of 2x2 blocks, red and blue.
    const sprite = Buffer.alloc(8 * 8 * 3);
    for (let i = 0; i < 64; i++) sprite.set(((i % 8) >> 1) % 2 === ((i >> 3) >> 1) % 2 ? [220, 30, 30] : [30, 30, 220], i * 3);
    await sharp(sprite, { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(path.join(folder, 'sprite.png'));
    await api.dataset.refresh();
    await waitFor(() => api.dataset.index?.folder(FOLDER)?.images.length === 3, `the ${FOLDER} folder indexed`);
    await activateExtension(); // the refresh made new entries: their captions are read again
  });

  afterEach(closeAllEditors);

  after(async () => {
    await closeAllEditors();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    if (api) {
      await api.dataset.refresh();
      await waitFor(() => !api.dataset.index?.folder(FOLDER), `the ${FOLDER} folder gone from the index`);
      await activateExtension();
    }
  });

  it('flags a decompression bomb and a text file named .jpg unreadable in the tree, saying why', async () => {
    await api.tree.getChildren(api.dataset.index!.folder(FOLDER)!); // the tree checks the headers of what it shows
    await waitFor(() => api.dataset.health?.problem(image('bomb.png')), 'the bomb checked');
    const bomb = api.tree.getTreeItem(image('bomb.png'));
    assert.equal((bomb.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(tooltipOf(bomb), /its header claims 60000x60000 pixels \(3,600 megapixels\), more than the 268 megapixels allowed in one decode; it is refused unread, as a possible decompression bomb/);
    const notes = api.tree.getTreeItem(image('notes.jpg'));
    assert.equal((notes.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(tooltipOf(notes), /Not an image: the file starts with text \("a cat on a sofa, written by hand"\)/);
    assert.doesNotMatch(tooltipOf(notes), /unsupported file type/);
    assert.equal((api.tree.getTreeItem(image('sprite.png')).iconPath as vscode.ThemeIcon).id, 'circle-large-outline', 'the sprite is a readable image');
  });

  it('shows why a decompression bomb cannot be shown in the caption editor, and never hands it to the browser', async () => {
    await openCaptionEditor(api, image('bomb.png'));
    const frame = await editorFrame(image('bomb.png'));
    const message = frame.locator('.image-error');
    await message.waitFor({ state: 'visible' });
    assert.match((await message.textContent()) ?? '', /claims 60000x60000 pixels \(3,600 megapixels\).*decompression bomb/);
    const img = await frame.locator('img.image').evaluate((el) => ({ hidden: (el as unknown as ImageNode).hidden, src: (el as unknown as ImageNode).getAttribute('src') }));
    assert.deepEqual(img, { hidden: true, src: null }, 'no broken image, no decode in the webview');
    assert.match((await frame.locator('.status').textContent()) ?? '', /60000×60000 px/);
    await screenshot('caption-editor-bomb');
  });

  it('"Open with Caption Editor" from the palette opens the image shown in VS Code\'s image preview', async () => {
    await activateExtension(); // the watcher's late events about the new folder re-list the root: read the captions again
    const index = api.dataset.index!;
    const firstUncaptioned = index.nextUncaptioned(undefined);
    const captioned = index.images().filter((img) => img.captionState === 'text' && !img.collision && img !== firstUncaptioned);
    assert.ok(captioned.length >= 2, `the sample has captioned images: ${index.images().map((img) => `${img.name}:${img.captionState}`).join(', ')}`);
    const [earlier, previewed] = captioned;
    // A caption editor opened before stays the "last active" one: the preview in front must still win.
    await openCaptionEditor(api, earlier);
    const uri = vscode.Uri.file(index.imagePath(previewed));
    await vscode.commands.executeCommand('vscode.openWith', uri, IMAGE_PREVIEW);
    await waitFor(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === IMAGE_PREVIEW && input.uri.fsPath === uri.fsPath;
    }, 'the image preview in front');
    await vscode.commands.executeCommand('imageCaptioner.openWithCaptionEditor');
    await waitFor(() => activeCaptionEditorPath() === uri.fsPath, `the caption editor on ${previewed.name}`).catch((err) => {
      throw new Error(`${err.message}; active: ${activeCaptionEditorPath() ?? vscode.window.tabGroups.activeTabGroup.activeTab?.label}`);
    });
    await closeAllEditors();
    // With nothing else open, the preview's image all the same (it was the first uncaptioned image).
    await vscode.commands.executeCommand('vscode.openWith', uri, IMAGE_PREVIEW);
    await waitFor(() => (vscode.window.tabGroups.activeTabGroup.activeTab?.input as { viewType?: string } | undefined)?.viewType === IMAGE_PREVIEW, 'the image preview in front');
    await vscode.commands.executeCommand('imageCaptioner.openCaptionEditor');
    await waitFor(() => activeCaptionEditorPath() === uri.fsPath, `the caption editor on ${previewed.name} again`);
  });

  it('a caption editor whose webview stays blank is closed and opened again where it was, once a minute at most, never with unsaved text', async () => {
    const sprite = image('sprite.png');
    const uri = await openCaptionEditor(api, sprite);
    await editorFrame(sprite);
    const column = vscode.window.tabGroups.activeTabGroup.viewColumn;
    const tabOf = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.fsPath === uri.fsPath);
    const before = tabOf()[0];
    assert.equal(await reopenCustomEditorTab(uri, CAPTION_EDITOR_VIEW_TYPE), true);
    await waitFor(() => tabOf().length === 1 && tabOf()[0] !== before && activeCaptionEditorPath() === uri.fsPath, 'the editor open again');
    assert.equal(tabOf()[0].group.viewColumn, column, 'in the same column');
    await editorFrame(sprite); // its webview loads
    assert.equal(await reopenCustomEditorTab(uri, CAPTION_EDITOR_VIEW_TYPE), false, 'not twice within the minute');
    // an editor with unsaved text is never closed by it
    const bomb = image('bomb.png');
    const bombUri = await openCaptionEditor(api, bomb);
    const textarea = (await editorFrame(bomb)).locator('#caption textarea');
    await textarea.click();
    await textarea.pressSequentially('unsaved');
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.isDirty), 'the tab dirty');
    assert.equal(await reopenCustomEditorTab(bombUri, CAPTION_EDITOR_VIEW_TYPE), false, 'a dirty tab stays');
    assert.equal(activeCaptionEditorPath(), bombUri.fsPath);
    await waitFor(() => api.editors.activeDocument?.text === 'unsaved', 'the unsaved text still there');
  });

  it('Fit scales an 8x8 sprite up to fill the image pane, with crisp pixels, and zooming in goes on from there', async () => {
    await openCaptionEditor(api, image('sprite.png'));
    const frame = await editorFrame(image('sprite.png'));
    const img = frame.locator('img.image');
    await waitFor(() => img.evaluate((el) => (el as unknown as ImageNode).complete && (el as unknown as ImageNode).naturalWidth === 8), 'the sprite decoded');
    await frame.locator('#fit').click();
    const measure = (): Promise<{ width: number; height: number; paneWidth: number; paneHeight: number; rendering: string }> =>
      img.evaluate((el) => {
        const node = el as unknown as ImageNode;
        const box = node.getBoundingClientRect();
        const pane = node.parentElement;
        return { width: box.width, height: box.height, paneWidth: pane.clientWidth, paneHeight: pane.clientHeight, rendering: node.ownerDocument.defaultView.getComputedStyle(node).imageRendering };
      });
    const fitted = await waitFor(async () => {
      const m = await measure();
      return m.width > 8 ? m : undefined;
    }, 'the sprite scaled up');
    const side = Math.min(fitted.paneWidth, fitted.paneHeight);
    assert.ok(side > 100, `a pane to fill (${fitted.paneWidth}x${fitted.paneHeight})`);
    assert.ok(Math.abs(fitted.width - side) <= 1 && Math.abs(fitted.height - side) <= 1, `${fitted.width}x${fitted.height} fills ${fitted.paneWidth}x${fitted.paneHeight}`);
    assert.equal(fitted.rendering, 'pixelated');
    await screenshot('caption-editor-sprite-fit');
    // Fit put the sprite beyond the usual zoom range (32x): zooming in from there still enlarges it.
    await frame.locator('#zoom-in').click();
    await waitFor(async () => (await measure()).width > fitted.width, 'the sprite larger after zooming in');
  });
});
