// A dataset prepared by a stranger, opened in a real VS Code: links that lead out of it, FIFOs where
// captions should be, and a workspace setting that would point captions at a file elsewhere.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { FolderNode, ImageEntry } from '../../src/core/dataset/types';
import { startOpenAiFakeServer, type OpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { activateExtension, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { within } from '../unit/helpers/timeLimit';

const SECRET = 'PRIVATE-WORDS-OUTSIDE-THE-DATASET';


/** The tooltip as a reader sees it (MarkdownString.appendText escapes spaces and punctuation). */
function tooltipOf(item: vscode.TreeItem): string {
  const text = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
  return text.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>])/g, '$1');
}

function filesContaining(dir: string, needle: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesContaining(full, needle);
    return entry.isFile() && fs.readFileSync(full, 'utf8').includes(needle) ? [full] : [];
  });
}

describe('a hostile dataset', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  let root: string;
  let hostile: string;
  let outside: string;
  let server: OpenAiFakeServer;

  const image = (name: string): ImageEntry => {
    const found = api.dataset.index!.folder('hostile')?.images.find((img) => img.name === name);
    assert.ok(found, `${name} is in the index`);
    return found;
  };

  before(async function () {
    if (process.platform === 'win32') this.skip(); // FIFOs and symlinks as an ordinary user
    api = await activateExtension();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    hostile = path.join(root, 'hostile');
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-outside-'));
    const someImage = api.dataset.index!.imagePath(api.dataset.index!.images().find((img) => /\.jpe?g$/i.test(img.name) && img.captionState === 'text')!);
    fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
    fs.copyFileSync(someImage, path.join(outside, 'private.jpg'));
    fs.mkdirSync(path.join(outside, 'folder'));
    fs.copyFileSync(someImage, path.join(outside, 'folder', 'elsewhere.jpg'));
    fs.mkdirSync(hostile);
    for (const name of ['fifo-caption.jpg', 'linked-caption.jpg', 'plain.jpg']) fs.copyFileSync(someImage, path.join(hostile, name));
    execFileSync('mkfifo', [path.join(hostile, 'fifo-caption.txt')]);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(hostile, 'linked-caption.txt'));
    fs.symlinkSync(path.join(outside, 'private.jpg'), path.join(hostile, 'borrowed.jpg'));
    fs.symlinkSync(path.join(outside, 'folder'), path.join(hostile, 'outside-folder'));
    await api.dataset.refresh();
    await waitFor(() => api.dataset.index?.folder('hostile')?.images.length === 4, 'the hostile folder indexed');
    server = await startOpenAiFakeServer({ replyText: () => 'a caption for the plain image' });
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', [
      { id: 'test/hostile', label: 'Hostile test VLM', provider: 'openai-compatible', baseUrl: server.url, model: 'm', key: 'none' },
    ], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/hostile'), 'the test model');
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner').update('captionExtension', undefined, vscode.ConfigurationTarget.Workspace);
    await server?.close();
    if (hostile) fs.rmSync(hostile, { recursive: true, force: true });
    if (outside) fs.rmSync(outside, { recursive: true, force: true });
    fs.rmSync(path.join(root ?? os.tmpdir(), '..', 'leak.txt'), { force: true });
    if (api) {
      await api.dataset.refresh();
      await activateExtension();
    }
  });

  it('shows links out and FIFO captions as such in the tree, reads nothing through them, and follows no folder link out', async () => {
    const folder = api.dataset.index!.folder('hostile')!;
    const children = await within(10_000, api.tree.getChildren(folder), 'listing the hostile folder');
    assert.deepEqual(children.map((c) => (c as FolderNode | ImageEntry).name).sort(), ['borrowed.jpg', 'fifo-caption.jpg', 'linked-caption.jpg', 'outside-folder', 'plain.jpg']);
    const fifo = api.tree.getTreeItem(image('fifo-caption.jpg'));
    assert.equal((fifo.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(tooltipOf(fifo), /named pipe/);
    const linked = api.tree.getTreeItem(image('linked-caption.jpg'));
    assert.equal((linked.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(tooltipOf(linked), /outside the dataset/);
    assert.ok(!tooltipOf(linked).includes(SECRET) && !String(linked.description ?? '').includes(SECRET), 'the text behind the link was shown');
    const borrowed = api.tree.getTreeItem(image('borrowed.jpg'));
    assert.match(tooltipOf(borrowed), /link to a file outside the dataset/);
    const outsideFolder = api.tree.getTreeItem(api.dataset.index!.folder('hostile/outside-folder')!);
    assert.match(tooltipOf(outsideFolder), /not followed/);
    assert.equal(api.dataset.index!.images().some((img) => img.name === 'elsewhere.jpg'), false);
  });

  it('opens a FIFO caption and a caption linked out read-only in the editor, never showing or writing their text', async () => {
    for (const name of ['fifo-caption.jpg', 'linked-caption.jpg']) {
      await within(15_000, openCaptionEditor(api, image(name)), `opening ${name}`);
      const doc = api.editors.activeDocument!;
      assert.equal(doc.editable, false, `${name} is read-only`);
      assert.match(doc.readOnlyReason ?? '', name === 'fifo-caption.jpg' ? /named pipe/ : /outside the dataset/);
      assert.equal(doc.text, '', 'no text was read');
      await within(5_000, doc.save(), 'saving');
      await closeAllEditors();
    }
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), SECRET);
    assert.ok(fs.statSync(path.join(hostile, 'fifo-caption.txt')).isFIFO());
  });

  it('never sends an image that links out of the dataset to a model, alone or in a batch over its folder', async () => {
    const model = api.captioning.registry.find('test/hostile')!;
    const borrowed = api.dataset.index!.imagePath(image('borrowed.jpg'));
    await assert.rejects(api.captioning.generate({ imagePath: borrowed, model }, undefined), /outside the dataset/);
    assert.equal(server.requests.length, 0, 'nothing reached the server');
    await api.captioning.registry.select(model);
    await vscode.commands.executeCommand('imageCaptioner.captionSelected', vscode.Uri.file(hostile));
    // The batch ran: the plain image was captioned, the two with unreadable captions failed without a request.
    assert.equal(fs.readFileSync(path.join(hostile, 'plain.txt'), 'utf8'), 'a caption for the plain image');
    assert.equal(server.requests.length, 1, 'one request, for plain.jpg only');
    assert.equal(fs.existsSync(path.join(hostile, 'borrowed.txt')), false);
    const logs = path.dirname(path.dirname(api.logUri.fsPath));
    await waitFor(() => filesContaining(logs, 'never sent to a model (borrowed.jpg)').length > 0, 'the skipped link in the log');
  });

  it('ignores a workspace caption extension that would lead out of the dataset, says so, and reads no file there', async () => {
    const leak = path.join(root, '..', 'leak.txt');
    fs.writeFileSync(leak, SECRET);
    const config = vscode.workspace.getConfiguration('imageCaptioner');
    await config.update('captionExtension', '/../../leak.txt', vscode.ConfigurationTarget.Workspace);
    await waitFor(() => vscode.workspace.getConfiguration('imageCaptioner').get('captionExtension') === '/../../leak.txt', 'the workspace setting');
    await api.dataset.refresh();
    await activateExtension();
    assert.equal(api.dataset.index!.options.captionExtension, '.txt');
    const texts = api.dataset.index!.images().map((img) => api.dataset.texts?.get(img) ?? '');
    assert.ok(!texts.some((t) => t.includes(SECRET)), 'a caption was read from outside the dataset');
    const logs = path.dirname(path.dirname(api.logUri.fsPath));
    await waitFor(() => filesContaining(logs, 'imageCaptioner.captionExtension').length > 0, 'the warning in the log');
    assert.equal(fs.readFileSync(leak, 'utf8'), SECRET);
  });
});
