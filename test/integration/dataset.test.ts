// The dataset view in a real VS Code: activation, index, tree states, counts, filter, watcher.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import sharp from 'sharp';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import type { DatasetTreeNode } from '../../src/views/datasetTreeProvider';
import { activateExtension, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot } from './browser';

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|bmp|tiff?|avif)$/i;

function imagesOnDisk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...imagesOnDisk(full));
    else if (IMAGE_EXT.test(entry.name)) out.push(full);
  }
  return out;
}

function iconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

describe('dataset view', () => {
  let api: ImageCaptionerApi;
  let root: string;

  before(async () => {
    api = await activateExtension();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  it('indexes every image of the workspace folder and no other file', () => {
    const expected = imagesOnDisk(root).sort();
    const indexed = api.dataset.index!.images().map((img) => api.dataset.index!.imagePath(img)).sort();
    assert.deepEqual(indexed, expected);
    assert.ok(indexed.length >= 14, `the sample dataset has images (${indexed.length})`);
  });

  it('shows each image with the icon of its caption state', async () => {
    const index = api.dataset.index!;
    const walk = async (node?: DatasetTreeNode): Promise<void> => {
      for (const child of await api.tree.getChildren(node)) await walk(child);
    };
    await walk(); // the tree checks captions and image headers of what it shows
    const items = await Promise.all(index.images().map(async (img) => ({ img, item: await api.tree.getTreeItem(img) })));
    for (const { img, item } of items) {
      const captionFile = index.captionPath(img);
      const text = fs.existsSync(captionFile) ? fs.readFileSync(captionFile) : undefined;
      const decodable = await sharp(index.imagePath(img)).metadata().then(() => true, () => false);
      let expected: string;
      if (!decodable) expected = 'error';
      else if (img.collision) expected = 'warning';
      else if (text === undefined) expected = 'circle-large-outline';
      else if (!isUtf8(text)) expected = 'error';
      else expected = text.toString('utf8').replace(/^\uFEFF/, '').trim() ? 'pass-filled' : 'circle-large-outline';
      assert.equal(iconId(item), expected, `${img.name}: ${expected}`);
      if (expected === 'pass-filled') assert.ok(String(item.description ?? '').length > 0, `${img.name} shows its caption's first words`);
    }
    assert.ok(items.some((i) => iconId(i.item) === 'warning'), 'the sample has a collision');
    assert.ok(items.some((i) => iconId(i.item) === 'error'), 'the sample has unreadable images');
    assert.ok(items.some((i) => iconId(i.item) === 'pass-filled'), 'the sample has captions');
    assert.ok(items.some((i) => iconId(i.item) === 'circle-large-outline'), 'the sample has uncaptioned images');
  });

  it('lists folders before images, lazily per folder', async () => {
    const [rootNode] = (await api.tree.getChildren()) as DatasetTreeNode[];
    const children = await api.tree.getChildren(rootNode);
    const kinds = children.map((c) => ('captionState' in c ? 'image' : 'folder'));
    assert.ok(kinds.includes('folder') && kinds.includes('image'));
    assert.equal(kinds.lastIndexOf('folder') < kinds.indexOf('image'), true, 'folders come first');
  });

  it('shows "N images, M captioned" in the view title, in the workbench', async function () {
    const counts = api.dataset.index!.counts();
    const expected = `${counts.images} images, ${counts.captioned} captioned`;
    assert.equal(api.treeView.title, expected);
    if (!hasBrowser()) this.skip();
    await vscode.commands.executeCommand('imageCaptioner.dataset.focus');
    const page = await getWorkbenchPage();
    await page.locator(`text=${expected} >> visible=true`).first().waitFor({ timeout: 10_000 });
    await screenshot('dataset-view');
  });

  it('filters by caption text or file name and clears the filter', async () => {
    const index = api.dataset.index!;
    const withCaption = index.images().find((img) => img.captionState === 'text')!;
    const word = api.dataset.texts!.get(withCaption)!.split(/\W+/).find((w) => w.length > 3)!;
    await vscode.commands.executeCommand('imageCaptioner.filterDataset', word);
    const visible = api.tree.visibleImages();
    assert.ok(visible.includes(withCaption));
    for (const img of visible) {
      const haystack = `${img.name} ${api.dataset.texts!.get(img) ?? ''}`.toLowerCase();
      assert.ok(haystack.includes(word.toLowerCase()), `${img.name} matches "${word}"`);
    }
    assert.ok(visible.length < index.size, 'the filter hides something');
    assert.match(String(api.treeView.message), new RegExp(`${visible.length} of ${index.size}`));
    await vscode.commands.executeCommand('imageCaptioner.clearDatasetFilter');
    assert.equal(api.tree.visibleImages().length, index.size);
    // without a filter the view's message is the next-step hint (none once a model is chosen)
    assert.equal(api.treeView.message, api.tree.nextStepHint?.());
  });

  it('filters with the query language: fields, NOT, and a clear error for a bad query', async () => {
    const index = api.dataset.index!;
    await vscode.commands.executeCommand('imageCaptioner.filterDataset', 'path:objects/ AND NOT empty');
    const visible = api.tree.visibleImages();
    assert.ok(visible.length > 0);
    for (const img of visible) {
      assert.ok(index.relativePath(index.imagePath(img))!.startsWith('objects/'), img.name);
      assert.ok((api.dataset.texts!.get(img) ?? '').trim().length > 0, `${img.name} has a caption`);
    }
    await vscode.commands.executeCommand('imageCaptioner.filterDataset', 'collision');
    assert.ok(api.tree.visibleImages().length >= 2 && api.tree.visibleImages().every((img) => img.collision));
    await vscode.commands.executeCommand('imageCaptioner.filterDataset', '(dog');
    assert.equal(api.tree.query, 'collision', 'a bad query leaves the filter as it was');
    await vscode.commands.executeCommand('imageCaptioner.clearDatasetFilter');
  });

  it('follows the disk: a new image and a new caption appear, a deleted image disappears', async () => {
    const index = () => api.dataset.index!;
    const before = index().size;
    const source = index().images().find((img) => /\.png$/i.test(img.name))!;
    const added = path.join(root, 'added by test.png');
    fs.copyFileSync(index().imagePath(source), added);
    await waitFor(() => index().findImage(added), 'the new image in the index');
    assert.equal(index().size, before + 1);
    assert.equal(index().findImage(added)!.captionState, 'none');
    fs.writeFileSync(path.join(root, 'added by test.txt'), 'a copied picture');
    await waitFor(() => index().findImage(added)?.captionState === 'text', 'the new caption read');
    fs.rmSync(added);
    await waitFor(() => !index().findImage(added), 'the deleted image gone');
    fs.rmSync(path.join(root, 'added by test.txt'));
    assert.equal(index().size, before);
  });

  it('follows a caption file another program writes, rewrites and deletes without re-listing its folder, redrawing its row alone', async () => {
    const first = api.dataset.index!.images().find((img) => img.captionState === 'none' && !img.collision && img.folder.images.length > 1)!;
    const imagePath = api.dataset.index!.imagePath(first);
    const captionFile = api.dataset.index!.captionPath(first);
    const entry = () => api.dataset.index!.findImage(imagePath)!;
    try {
      fs.writeFileSync(captionFile, 'written elsewhere');
      await waitFor(() => api.dataset.texts!.get(entry()) === 'written elsewhere', 'the new caption read');
      // from here on (earlier suites' changes settled), the same entries: nothing else is read again
      const target = entry();
      const entries = [...target.folder.images];
      const redrawn: (DatasetTreeNode | DatasetTreeNode[] | undefined)[] = [];
      const listening = api.tree.onDidChangeTreeData((nodes) => redrawn.push(nodes));
      try {
        fs.writeFileSync(captionFile, 'rewritten elsewhere');
        await waitFor(() => api.dataset.texts!.get(entry()) === 'rewritten elsewhere', 'the rewritten caption read');
        fs.writeFileSync(captionFile, 'written as a batch does');
        api.dataset.noteCaption(imagePath, 'written as a batch does'); // what a batch does after each write
        await waitFor(() => redrawn.length >= 3, 'the view told of the noted caption');
        fs.rmSync(captionFile);
        await waitFor(() => entry().captionState === 'none', 'the deleted caption noticed');
      } finally {
        listening.dispose();
      }
      assert.ok(entry() === target && target.folder.images.every((img, i) => img === entries[i]), 'the folder was re-listed');
      assert.equal(target.folder.images.length, entries.length);
      // rows only (a neighbour whose caption came or went unannounced may be redrawn with it), never the folder
      const rows = redrawn.map((nodes) => (Array.isArray(nodes) ? nodes.filter((node): node is ImageEntry => 'captionState' in node && node.folder === target.folder) : []));
      const rowsOnly = rows.every((images, i) => images.length > 0 && images.length === (redrawn[i] as unknown[]).length && images.includes(target));
      assert.ok(rowsOnly, `redrawn: ${redrawn.map((n) => (Array.isArray(n) ? `[${n.length}]` : String(n))).join(', ')}`);
    } finally {
      fs.rmSync(captionFile, { force: true });
    }
  });

  it('creates no file while browsing', async () => {
    const listing = (): string[] => fs.readdirSync(root, { recursive: true }).map(String).sort();
    const before = listing();
    const [rootNode] = (await api.tree.getChildren()) as DatasetTreeNode[];
    const walk = async (node: DatasetTreeNode): Promise<void> => {
      for (const child of await api.tree.getChildren(node)) {
        await api.tree.getTreeItem(child);
        await walk(child);
      }
    };
    await walk(rootNode);
    assert.deepEqual(listing(), before);
  });
});

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return !bytes.includes(0);
  } catch {
    return false;
  }
}
