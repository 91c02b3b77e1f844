// Restricted mode: caption lint runs no model and sends nothing, so it works in a folder that is not trusted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../../src/extension';
import { activateExtension, waitFor } from '../extensionApi';

describe('untrusted workspace: caption lint', function () {
  this.timeout(30_000);
  let api: ImageCaptionerApi;
  let folder: string;

  before(async () => {
    api = await activateExtension();
    folder = path.join(api.dataset.rootPath!, 'lint-untrusted');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.jpg'), fs.readFileSync(api.dataset.index!.imagePath(api.dataset.index!.images().find((i) => i.name === 'sunset.jpg')!)));
    fs.writeFileSync(path.join(folder, 'a.txt'), 'Caption: a red boat.');
    await api.dataset.refresh();
    await waitFor(() => api.dataset.index?.images().some((i) => i.folder.relPath === 'lint-untrusted'), 'the image in the index');
  });

  after(async () => {
    await vscode.commands.executeCommand('imageCaptioner.lint.clear');
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    await api?.dataset.refresh();
  });

  it('Lint Captions shows diagnostics and offers the quick fix', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const uri = vscode.Uri.file(path.join(folder, 'a.txt'));
    assert.equal(await vscode.commands.executeCommand('imageCaptioner.lint.run', vscode.Uri.file(folder)), 1);
    const [d] = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Image Captioner');
    assert.equal(d?.code, 'model-artefact');
    // CLIP's tokenizer and the rules that run a model stay off, and the run says why
    const notes = api.linter.notes.join('\n');
    assert.match(notes, /^Token counts are estimated: the CLIP tokenizer is not run in an untrusted folder\.$/m);
    assert.match(notes, /^Near-duplicate captions: skipped, Local models do not run in an untrusted workspace/m);
    assert.match(notes, /^Low CLIP score: skipped, models do not run in an untrusted folder/m);
    assert.match(notes, /^Near-duplicate images: 0 group\(s\)/m);
    await vscode.workspace.openTextDocument(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    assert.ok(actions.some((a) => a.edit && a.title === 'Remove the label'), actions.map((a) => a.title).join(' | '));
  });
});
