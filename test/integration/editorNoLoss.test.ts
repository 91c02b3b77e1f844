// The caption editor never turns a failed read into an empty caption: hot-exit backups, revert,
// edits of a caption that became unreadable, and the "does the caption exist" checks of commands.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import type { CaptionDocument } from '../../src/webviews/captionDocument';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';

const LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in Latin-1: not UTF-8

describe('the caption editor keeps what it cannot read', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  let outside: string;
  const opened: CaptionDocument[] = [];
  const restore: Array<() => void | Promise<void>> = [];

  before(async () => {
    api = await activateExtension();
    // an image outside the dataset: its caption is `<stem>.txt` beside it and no editor watches it
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-noloss-'));
    const source = api.dataset.index!.images().find((img) => img.captionState === 'text' && !img.collision && /\.png$/i.test(img.name))!;
    fs.copyFileSync(api.dataset.index!.imagePath(source), path.join(outside, 'outside.png'));
  });

  afterEach(async () => {
    for (const doc of opened.splice(0)) doc.dispose();
    for (const undo of restore.splice(0).reverse()) await undo();
    await closeAllEditors();
  });

  after(() => fs.rmSync(outside, { recursive: true, force: true }));

  const open = async (image: vscode.Uri, backupId?: string): Promise<CaptionDocument> => {
    const doc = await api.editors.openCustomDocument(image, { backupId, untitledDocumentData: undefined });
    opened.push(doc);
    return doc;
  };
  const outsideImage = (): vscode.Uri => vscode.Uri.file(path.join(outside, 'outside.png'));
  const outsideCaption = (): string => path.join(outside, 'outside.txt');

  it('restores a hot-exit backup, opens from disk when there is none, and refuses to open when it cannot be read', async () => {
    fs.rmSync(outsideCaption(), { force: true });
    const backup = path.join(outside, 'backup-1');
    fs.writeFileSync(backup, 'unsaved words from the last session');
    const restored = await open(outsideImage(), vscode.Uri.file(backup).toString());
    assert.equal(restored.text, 'unsaved words from the last session');
    assert.equal(restored.isDirty, true);

    const none = await open(outsideImage(), vscode.Uri.file(path.join(outside, 'no-such-backup')).toString());
    assert.equal(none.text, '');

    const unreadable = path.join(outside, 'backup-folder');
    fs.mkdirSync(unreadable);
    await assert.rejects(open(outsideImage(), vscode.Uri.file(unreadable).toString()), (err: Error) => {
      assert.match(err.message, /^Could not restore the unsaved caption of outside\.png from its backup .*backup-folder: .*\. The editor was not opened, so the backup is kept\.$/s);
      return true;
    });
  });

  it('an edit of a caption that became unreadable fails instead of starting a new caption file', async () => {
    fs.rmSync(outsideCaption(), { force: true });
    const doc = await open(outsideImage());
    assert.equal(doc.exists, false);
    fs.writeFileSync(outsideCaption(), LATIN1); // written by another program meanwhile
    await assert.rejects(doc.setText('new words'), /outside\.txt is not UTF-8 text/);
    assert.equal(doc.isDirty, false, 'no new caption pending');
    assert.deepEqual(fs.readFileSync(outsideCaption()), LATIN1);
  });

  it('Revert never empties a caption it cannot read now: it fails and the unsaved text stays', async () => {
    const image = api.dataset.index!.images().find((img: ImageEntry) => img.captionState === 'text' && !img.collision)!;
    const file = api.dataset.index!.captionPath(image);
    const original = fs.readFileSync(file);
    const doc = await open(vscode.Uri.file(api.dataset.index!.imagePath(image)));
    restore.push(async () => {
      fs.writeFileSync(file, original);
      // the dirty caption in an editor, so that closeAllEditors reverts it from the restored file
      await vscode.window.showTextDocument(vscode.Uri.file(file));
    });
    assert.equal(await doc.setText('unsaved words'), true);
    await waitFor(() => doc.isDirty, 'the caption dirty');
    fs.writeFileSync(file, LATIN1);

    await assert.rejects(api.editors.revertCustomDocument(doc), /^Error: Could not revert: .* is not UTF-8 text .* Your unsaved text was kept\.$/s);
    assert.equal(doc.text, 'unsaved words');
    assert.deepEqual(fs.readFileSync(file), LATIN1);
  });

  it('Open Caption as Text reports a caption it cannot check instead of opening a blank one in its place', async () => {
    const image = api.dataset.index!.images().find((img: ImageEntry) => img.captionState === 'text' && !img.collision)!;
    const file = api.dataset.index!.captionPath(image);
    const original = fs.readFileSync(file);
    fs.rmSync(file);
    fs.symlinkSync(path.basename(file), file); // a link to itself: stat fails with ELOOP
    restore.push(() => {
      fs.rmSync(file, { force: true });
      fs.writeFileSync(file, original);
    });
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('imageCaptioner.openCaptionAsText', vscode.Uri.file(api.dataset.index!.imagePath(image)))), /ELOOP|symbolic links/i);
    const blank = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'untitled' && d.uri.path === vscode.Uri.file(file).path);
    assert.deepEqual(blank.map((d) => d.uri.toString()), [], 'no blank caption opened in its place');
  });
});
