// A second caption per image (imageCaptioner.secondCaption.extension = .tags.txt) in a real VS Code:
// two fields in the caption editor, each written to its own file with its own undo, and both exported.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FrameLocator } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import { activateExtension, captionEditorTabs, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';
import type { BatchReport } from '../../src/services/batchRunner';
import type { EditOutcome } from '../../src/commands/editCommands';
import { startOpenAiFakeServer, OpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';

const SECOND = '.tags.txt';
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');
const normalized = (file: string): string => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');

async function editorFrame(image: ImageEntry): Promise<FrameLocator> {
  const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#second-caption' });
  await frame.locator('#second-caption textarea').waitFor({ state: 'visible' });
  return frame;
}

describe('second caption', function () {
  this.timeout(90_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer | undefined;
  /** Files this suite changes, with their bytes before (undefined: the file did not exist). */
  const touched = new Map<string, Buffer | undefined>();
  const remember = (file: string): void => {
    if (!touched.has(file)) touched.set(file, fs.existsSync(file) ? fs.readFileSync(file) : undefined);
  };
  const images = (): readonly ImageEntry[] => api.dataset.index!.images();
  /** Resolves once the dataset's watcher reported a change of each image's second caption. */
  const secondCaptionsSeen = (waiting: readonly ImageEntry[]): Promise<void> =>
    new Promise((resolve) => {
      const left = new Set(waiting);
      const listener = api.dataset.onDidChangeSecondCaptions((changed) => {
        for (const image of changed) left.delete(image);
        if (left.size > 0) return;
        listener.dispose();
        resolve();
      });
    });
  const value = (frame: FrameLocator, id: string): Promise<string> => frame.locator(`#${id} textarea`).inputValue();

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    await config().update('secondCaption.extension', SECOND, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.dataset.state === 'ready' && api.dataset.index?.options.secondCaptionExtension === SECOND, 'the dataset re-indexed with second captions');
    await api.dataset.loadCaptions(images());
  });

  after(async () => {
    await closeAllEditors();
    for (const [file, bytes] of touched) {
      if (bytes) fs.writeFileSync(file, bytes);
      else fs.rmSync(file, { force: true });
    }
    await server?.close();
    if (server) await config().update('models', undefined, vscode.ConfigurationTarget.Global);
    if (api) {
      await config().update('secondCaption.extension', undefined, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.dataset.state === 'ready' && !api.dataset.index?.options.secondCaptionExtension, 'the dataset re-indexed without second captions');
    }
  });

  afterEach(closeAllEditors);

  it('shows both fields; editing the second writes only its file; each field undoes on its own', async () => {
    const image = images().find((img) => img.captionState === 'text' && !img.collision)!;
    const captionFile = api.dataset.index!.captionPath(image);
    const tagsFile = api.dataset.index!.secondCaptionPath(image)!;
    assert.equal(tagsFile, captionFile.replace(/\.txt$/, SECOND));
    remember(captionFile);
    remember(tagsFile);
    fs.writeFileSync(tagsFile, 'red, ball');
    const captionBytes = fs.readFileSync(captionFile);
    const caption = normalized(captionFile);

    await openCaptionEditor(api, image);
    const frame = await editorFrame(image);
    await waitFor(async () => (await value(frame, 'caption')) === caption && (await value(frame, 'second-caption')) === 'red, ball', 'both captions in their fields');
    assert.match((await frame.locator('.second-caption-file').textContent()) ?? '', /\.tags\.txt$/);
    await screenshot('second-caption');

    const second = frame.locator('#second-caption textarea');
    await second.click();
    await second.press('End');
    await second.pressSequentially(', typed');
    // a save takes what the host has: wait until every keystroke reached it
    await waitFor(() => captionEditorTabs()[0]?.isDirty && api.editors.secondCaptionOf(api.editors.activeDocument!)?.text === 'red, ball, typed', 'dirty tab, the typing in the host');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.readFileSync(tagsFile, 'utf8') === 'red, ball, typed', 'the second caption saved');
    assert.deepEqual(fs.readFileSync(captionFile), captionBytes, 'the caption file is untouched');
    await waitFor(() => captionEditorTabs()[0]?.isDirty === false, 'the tab clean after saving');

    // One edit in each field, the caption first: undo takes back the second caption's edit alone, then the caption's.
    const first = frame.locator('#caption textarea');
    await first.click();
    await first.press('End');
    await first.pressSequentially(' (edited)');
    await waitFor(async () => (await value(frame, 'caption')) === `${caption} (edited)`, 'the caption edit in the webview');
    await second.click();
    await second.press('End');
    await second.pressSequentially(', more');
    await waitFor(async () => (await value(frame, 'second-caption')) === 'red, ball, typed, more', 'the second caption edit in the webview');
    // the webview shows typing at once; the undo steps exist once the host has both edits (an undo sent before found nothing to undo in one CI run)
    const doc = api.editors.activeDocument!;
    await waitFor(() => doc.text === `${caption} (edited)` && api.editors.secondCaptionOf(doc)?.text === 'red, ball, typed, more', 'both edits in the host documents');
    const undoUntil = async (done: () => Promise<boolean>, what: string): Promise<void> => {
      for (let undos = 0; !(await done()); undos++) {
        assert.ok(undos < 6, `${what} within 6 undo steps`);
        const before = `${await value(frame, 'caption')}|${await value(frame, 'second-caption')}`;
        await vscode.commands.executeCommand('undo');
        await waitFor(async () => `${await value(frame, 'caption')}|${await value(frame, 'second-caption')}` !== before, `undo ${undos + 1} in the webview`);
      }
    };
    await undoUntil(async () => (await value(frame, 'second-caption')) === 'red, ball, typed', 'the second caption back');
    assert.equal(await value(frame, 'caption'), `${caption} (edited)`, 'undoing the second caption left the caption alone');
    await undoUntil(async () => (await value(frame, 'caption')) === caption, 'the caption back');
    assert.equal(await value(frame, 'second-caption'), 'red, ball, typed', 'undoing the caption left the second caption alone');
    // saved now, both files hold the undone texts
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.readFileSync(captionFile).equals(captionBytes) && fs.readFileSync(tagsFile, 'utf8') === 'red, ball, typed', 'both files as before the undone edits');
  });

  it('a second caption typed for an image without captions creates only the .tags.txt file', async () => {
    const image = images().find((img) => img.captionState === 'none' && !img.collision && !fs.existsSync(api.dataset.index!.captionPath(img)))!;
    const captionFile = api.dataset.index!.captionPath(image);
    const tagsFile = api.dataset.index!.secondCaptionPath(image)!;
    remember(captionFile);
    remember(tagsFile);
    assert.equal(fs.existsSync(tagsFile), false);
    await openCaptionEditor(api, image);
    const frame = await editorFrame(image);
    await frame.locator('#second-caption textarea').pressSequentially('only tags');
    await waitFor(() => captionEditorTabs()[0]?.isDirty && api.editors.secondCaptionOf(api.editors.activeDocument!)?.text === 'only tags', 'dirty tab, the typing in the host');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(tagsFile) && fs.readFileSync(tagsFile, 'utf8') === 'only tags', 'the second caption file created');
    assert.equal(fs.existsSync(captionFile), false, 'no empty caption file');
  });

  it('exports both captions to WebDataset as .txt and .tags.txt members, byte for byte', async () => {
    const index = api.dataset.index!;
    const image = images().find((img) => img.captionState === 'text' && !img.collision)!;
    const tagsFile = index.secondCaptionPath(image)!;
    remember(tagsFile);
    fs.writeFileSync(tagsFile, 'exported, tags, ü');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'export-second-'));
    try {
      const root = vscode.Uri.file(index.rootPath);
      await vscode.commands.executeCommand('imageCaptioner.exportWebDataset', root, [root], out, { onlyCaptioned: true, captions: 'both' });
      const shard = path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.tar'))!);
      const members = execFileSync('tar', ['-tf', shard], { encoding: 'utf8' }).trim().split('\n');
      const keys = [...new Set(members.map((m) => m.slice(0, m.indexOf('.'))))];
      for (const key of keys) assert.ok(members.includes(`${key}.txt`) && members.includes(`${key}.tags.txt`), `${key} has both caption members`);
      const relPath = index.relativePath(index.imagePath(image));
      const key = keys.find((k) => JSON.parse(execFileSync('tar', ['-xOf', shard, `${k}.json`], { encoding: 'utf8' })).source === relPath);
      assert.ok(key, `${relPath} was exported`);
      assert.deepEqual(execFileSync('tar', ['-xOf', shard, `${key}.tags.txt`]), fs.readFileSync(tagsFile));
      assert.deepEqual(execFileSync('tar', ['-xOf', shard, `${key}.txt`]), Buffer.from(normalized(index.captionPath(image)), 'utf8'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('a caption batch aimed at the second caption writes the model\'s text into .tags.txt only', async () => {
    server = await startOpenAiFakeServer({ replyText: () => 'tags, from, the model' });
    await config().update('models', [
      { id: 'test/second', label: 'Second VLM', provider: 'openai-compatible', baseUrl: server.url, model: 'second-vlm', key: 'none', capabilities: { stream: false }, rateLimit: { concurrency: 1 } },
    ], vscode.ConfigurationTarget.Global);
    const model = await waitFor(() => api.captioning.registry.find('test/second'), 'the test model in the registry');
    await api.captioning.registry.select(model);
    const image = images().find((img) => img.captionState === 'text' && !img.collision && /\.jpe?g$/i.test(img.name) && !fs.existsSync(api.dataset.index!.secondCaptionPath(img)!))!;
    const captionFile = api.dataset.index!.captionPath(image);
    const tagsFile = api.dataset.index!.secondCaptionPath(image)!;
    remember(captionFile);
    remember(tagsFile);
    const captionBytes = fs.readFileSync(captionFile);
    const uri = vscode.Uri.file(api.dataset.index!.imagePath(image));
    const report = (await vscode.commands.executeCommand('imageCaptioner.captionSelected', uri, [uri], { target: 'second' })) as BatchReport;
    assert.equal(report.summary.written, 1);
    assert.equal(fs.readFileSync(tagsFile, 'utf8'), 'tags, from, the model');
    assert.deepEqual(fs.readFileSync(captionFile), captionBytes, 'the caption file is untouched');
    assert.notEqual(api.dataset.texts?.get(image), 'tags, from, the model', 'the index keeps the caption, not the second caption, as the image\'s text');
  });

  it('caption2: filters the Dataset view by the second caption, and follows a second caption changed on disk', async () => {
    const [one, two] = images().filter((img) => !img.collision).slice(0, 2);
    const tagsOf = (img: ImageEntry): string => api.dataset.index!.secondCaptionPath(img)!;
    for (const img of [one, two]) remember(tagsOf(img));
    // what the dataset read before (other suites' views share its cache) holds until its watcher sees the writes
    const seen = secondCaptionsSeen([one, two]);
    fs.writeFileSync(tagsOf(one), 'zqx_marker, solo');
    fs.writeFileSync(tagsOf(two), 'something else');
    await seen;
    const shown = (): string[] => api.tree.visibleImages().map((img) => img.name);
    try {
      await api.tree.setFilter('caption2:ZQX_MARKER');
      assert.deepEqual(shown(), [one.name]);
      assert.deepEqual((await api.tree.imagesMatching('caption2:"something else"')).map((img) => img.name), [two.name]);
      fs.writeFileSync(tagsOf(two), 'now zqx_marker too');
      await waitFor(() => shown().length === 2, 'the filter seeing the second caption changed on disk');
      assert.deepEqual(shown(), [one, two].map((img) => img.name));
    } finally {
      await api.tree.setFilter('');
    }
  });

  it('find and replace aimed at the second caption changes only .tags.txt files', async () => {
    const image = images().find((img) => img.captionState === 'text' && !img.collision)!;
    const captionFile = api.dataset.index!.captionPath(image);
    const tagsFile = api.dataset.index!.secondCaptionPath(image)!;
    remember(captionFile);
    remember(tagsFile);
    fs.writeFileSync(captionFile, 'a red ball on red grass');
    fs.writeFileSync(tagsFile, 'red, ball, grass');
    const outcome = (await vscode.commands.executeCommand('imageCaptioner.findReplace', {
      find: 'red', replace: 'crimson', regex: false, caseSensitive: false, wholeWord: true, images: [api.dataset.index!.imagePath(image)], target: 'second', autoApply: true,
    })) as EditOutcome;
    assert.deepEqual(outcome, { kind: 'applied', changed: 1, conflicts: 0 });
    assert.equal(fs.readFileSync(tagsFile, 'utf8'), 'crimson, ball, grass');
    assert.equal(fs.readFileSync(captionFile, 'utf8'), 'a red ball on red grass');
  });

  it("flags an image whose second caption is another image's caption, keeps both fields read-only, and Rename Image resolves it", async () => {
    const index = api.dataset.index!;
    const image = images().find((img) => img.captionState === 'text' && !img.collision && /\.jpe?g$/i.test(img.name))!;
    const imagePath = index.imagePath(image);
    const folder = path.dirname(imagePath);
    const { name: stem, ext } = path.parse(image.name);
    const twin = path.join(folder, `${stem}.tags${ext}`); // its caption is the image's second caption
    const shared = path.join(folder, `${stem}.tags.txt`);
    const renamed = path.join(folder, `${stem}-own${ext}`);
    for (const file of [twin, shared, renamed, path.join(folder, `${stem}-own.txt`)]) remember(file);
    fs.writeFileSync(shared, 'shared text');
    fs.copyFileSync(imagePath, twin);
    await waitFor(() => api.dataset.index!.findImage(twin)?.collision && api.dataset.index!.findImage(imagePath)?.collision, 'both images flagged');

    await openCaptionEditor(api, api.dataset.index!.findImage(imagePath)!);
    const page = await getWorkbenchPage();
    const frame = await editorFrame(image);
    await frame.locator('.warning').waitFor({ state: 'visible' });
    assert.match((await frame.locator('.warning-text').textContent()) ?? '', new RegExp(`shares ${stem}\\.tags\\.txt with another image \\(${stem}\\.tags${ext.replace('.', '\\.')}\\)`));
    const readOnly = (id: string): Promise<boolean> => frame.locator(`#${id} textarea`).evaluate((t) => (t as unknown as { readOnly: boolean }).readOnly);
    assert.equal(await readOnly('caption'), true);
    assert.equal(await readOnly('second-caption'), true);
    assert.equal(await value(frame, 'second-caption'), 'shared text');

    const running = vscode.commands.executeCommand('imageCaptioner.renameImage', vscode.Uri.file(twin));
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`${stem}${ext}`);
    await page.locator('.quick-input-widget .quick-input-message', { hasText: 'already uses this name stem' }).first().waitFor();
    await input.fill(path.basename(renamed));
    await input.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Copy the shared caption' }).first().click();
    await running;
    await waitFor(() => fs.existsSync(renamed) && !fs.existsSync(twin), 'the twin renamed');
    assert.equal(fs.readFileSync(path.join(folder, `${stem}-own.txt`), 'utf8'), 'shared text', 'the twin took its caption along');
    await waitFor(() => api.dataset.index!.findImage(imagePath)?.collision === false && api.dataset.index!.findImage(renamed)?.collision === false, 'no collision left');
    await frame.locator('.warning').waitFor({ state: 'hidden' });
    await waitFor(async () => !(await readOnly('second-caption')), 'the second caption editable again');
  });

  it('backs up an unsaved second caption at hot exit and restores it, still unsaved, with the caption', async () => {
    const image = images().find((img) => img.captionState === 'none' && !img.collision && !fs.existsSync(api.dataset.index!.secondCaptionPath(img)!))!;
    const uri = vscode.Uri.file(api.dataset.index!.imagePath(image));
    const tagsFile = api.dataset.index!.secondCaptionPath(image)!;
    remember(tagsFile);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-second-'));
    const first = await api.editors.openCustomDocument(uri, { backupId: undefined, untitledDocumentData: undefined });
    let restored: Awaited<ReturnType<typeof api.editors.openCustomDocument>> | undefined;
    try {
      await api.editors.secondCaptionOf(first)!.setText('unsaved tags');
      const destination = vscode.Uri.file(path.join(folder, 'backup-1'));
      const backup = await api.editors.backupCustomDocument(first, { destination });
      assert.equal(fs.readFileSync(`${destination.fsPath}.second`, 'utf8'), 'unsaved tags');
      first.dispose();
      restored = await api.editors.openCustomDocument(uri, { backupId: backup.id, untitledDocumentData: undefined });
      const second = api.editors.secondCaptionOf(restored)!;
      assert.equal(second.text, 'unsaved tags');
      assert.equal(second.isDirty, true);
      assert.equal(fs.existsSync(tagsFile), false, 'nothing written by the restore');
      backup.delete();
      await waitFor(() => !fs.existsSync(destination.fsPath) && !fs.existsSync(`${destination.fsPath}.second`), 'both backup files deleted');
    } finally {
      first.dispose();
      restored?.dispose();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
