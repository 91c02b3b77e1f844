// Caption lint in a real VS Code: diagnostics on caption files, the quick fix to the byte, re-lint on change, settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';

describe('caption lint', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  /** This suite's own folder of images and captions in the sample dataset. */
  let folder: string;
  const dogCaption = (): string => path.join(folder, 'dog.txt');
  const catCaption = (): string => path.join(folder, 'cat.txt');
  const lintConfig = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner.lint');
  const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Image Captioner');
  const codes = (file: string): string[] => ours(vscode.Uri.file(file)).map((d) => String(d.code)).sort();

  before(async () => {
    api = await activateExtension();
    folder = path.join(api.dataset.rootPath!, 'lint-suite');
    const photo = fs.readFileSync(api.dataset.index!.imagePath(api.dataset.index!.images().find((img) => img.name === 'sunset.jpg')!));
    fs.mkdirSync(folder);
    for (const name of ['dog', 'cat', 'twin']) fs.writeFileSync(path.join(folder, `${name}.jpg`), photo);
    fs.writeFileSync(dogCaption(), 'A brown dog.\nThe image shows a dog on the beach.\n');
    fs.writeFileSync(catCaption(), 'This image shows a cat.');
    fs.writeFileSync(path.join(folder, 'twin.txt'), 'this image shows a CAT.  ');
    // the three images are one photo: the near-duplicate image rule (its own suite) is off here
    await lintConfig().update('nearDuplicateImages.level', 'off', vscode.ConfigurationTarget.Global);
    await api.dataset.refresh();
    await waitFor(() => api.dataset.index?.images().filter((i) => i.folder.relPath === 'lint-suite').length === 3, "the suite's images in the index");
  });

  after(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('imageCaptioner.lint.clear');
    await lintConfig().update('bannedPhrases.level', undefined, vscode.ConfigurationTarget.Global);
    await lintConfig().update('nearDuplicateImages.level', undefined, vscode.ConfigurationTarget.Global);
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    await api?.dataset.refresh();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('Lint Captions puts each problem on its caption file with the rule as code and the exact range', async () => {
    const count = await vscode.commands.executeCommand<number>('imageCaptioner.lint.run', vscode.Uri.file(folder));
    assert.equal(count, 3, 'the three caption files of the folder');
    const dog = ours(vscode.Uri.file(dogCaption()));
    assert.equal(dog.length, 1, JSON.stringify(dog));
    assert.equal(dog[0].code, 'banned-phrase');
    assert.equal(dog[0].message, 'Banned phrase "The image shows".');
    assert.equal(dog[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(dog[0].range.isEqual(new vscode.Range(1, 0, 1, 15)), `range ${JSON.stringify(dog[0].range)}`);
    // cat and twin are the same caption once case and spaces are ignored: both get the duplicate problem
    assert.deepEqual(codes(catCaption()), ['banned-phrase', 'duplicate']);
    const duplicate = ours(vscode.Uri.file(catCaption())).find((d) => d.code === 'duplicate')!;
    assert.equal(duplicate.message, 'Same caption as lint-suite/twin.txt.');
    assert.equal(duplicate.severity, vscode.DiagnosticSeverity.Information);
  });

  it('a quick fix removes the phrase in one edit; the saved file holds the exact text; typing lints again', async () => {
    await vscode.commands.executeCommand('imageCaptioner.lint.run', vscode.Uri.file(folder));
    const uri = vscode.Uri.file(dogCaption());
    const doc = await vscode.workspace.openTextDocument(uri);
    const [diagnostic] = ours(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Remove "The image shows"');
    assert.ok(fix?.edit, `the quick fix is offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title === 'Fix All of This Kind (banned-phrase)'));
    assert.equal(fix.edit.size, 1, 'one document edited');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(await doc.save());
    assert.equal(fs.readFileSync(dogCaption(), 'utf8'), 'A brown dog.\nA dog on the beach.\n');
    await waitFor(() => codes(dogCaption()).length === 0, 'the fixed caption has no problem left');

    // an unsaved change is linted as it is typed (debounced), with its range on the right line
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(1, 6), 'appears to be ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const typed = await waitFor(() => ours(uri).find((d) => d.code === 'banned-phrase'), 'the typed phrase linted');
    assert.ok(typed.range.isEqual(new vscode.Range(1, 6, 1, 19)), `range ${JSON.stringify(typed.range)}`);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.isDirty, false);
  });

  it("a rule's level at 'off' removes its diagnostics; back at its default they return", async () => {
    await vscode.commands.executeCommand('imageCaptioner.lint.run', vscode.Uri.file(folder));
    assert.deepEqual(codes(catCaption()), ['banned-phrase', 'duplicate']);
    await lintConfig().update('bannedPhrases.level', 'off', vscode.ConfigurationTarget.Global);
    await waitFor(() => codes(catCaption()).join() === 'duplicate', 'the banned-phrase diagnostic gone');
    await lintConfig().update('bannedPhrases.level', 'error', vscode.ConfigurationTarget.Global);
    const back = await waitFor(() => ours(vscode.Uri.file(catCaption())).find((d) => d.code === 'banned-phrase'), 'the diagnostic back at error');
    assert.equal(back.severity, vscode.DiagnosticSeverity.Error);
  });

  it('Fix All of This Kind rewrites every caption with that problem through the bulk edit, and only those', async () => {
    await vscode.commands.executeCommand('imageCaptioner.lint.run', vscode.Uri.file(folder));
    const dogBefore = fs.readFileSync(dogCaption());
    await vscode.commands.executeCommand('imageCaptioner.lint.fixAll', 'banned-phrase', true);
    assert.equal(fs.readFileSync(catCaption(), 'utf8'), 'A cat.');
    assert.equal(fs.readFileSync(path.join(folder, 'twin.txt'), 'utf8'), 'a CAT.  ');
    assert.deepEqual(fs.readFileSync(dogCaption()), dogBefore, 'a caption without the problem is not written');
    await waitFor(() => codes(catCaption()).join() === 'duplicate', 'the fixed captions linted again, still duplicates');
    await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
    assert.equal(fs.readFileSync(catCaption(), 'utf8'), 'This image shows a cat.');
  });

  it('Clear Lint removes every lint diagnostic', async () => {
    await vscode.commands.executeCommand('imageCaptioner.lint.run', vscode.Uri.file(folder));
    assert.ok(codes(catCaption()).length > 0);
    await vscode.commands.executeCommand('imageCaptioner.lint.clear');
    assert.deepEqual(codes(catCaption()), []);
    assert.deepEqual(codes(path.join(folder, 'twin.txt')), []);
  });
});
