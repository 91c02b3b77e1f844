// WD taggers in a folder that is not trusted: no tag batch runs, no worker starts, no caption is written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../../src/extension';
import { DEFAULT_TAG_OPTIONS } from '../../../src/core/tagging/tagSelection';
import { writeTagger } from '../../fixtures/localModels/taggerModel';
import { activateExtension, waitFor } from '../extensionApi';

describe('WD taggers in an untrusted workspace', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  let root: string;

  before(async () => {
    api = await activateExtension();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-tagger-untrusted-'));
    const model = await writeTagger(path.join(root, 'tiny-wd-tagger'));
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', [{ id: 'test/tiny-tagger', label: 'Tiny Tagger', preset: 'local', model, local: { task: 'wd-tagger' } }], vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner').update('tagger.model', 'test/tiny-tagger', vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/tiny-tagger'), 'the tagger in the registry');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner').update('tagger.model', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('Tag Images writes nothing and starts no worker; the service refuses too', async () => {
    const index = api.dataset.index!;
    const images = index.images().filter((img) => !img.collision).slice(0, 3);
    const captions = images.map((img) => index.captionPath(img));
    const before = captions.map((file) => (fs.existsSync(file) ? fs.readFileSync(file).toString('base64') : undefined));
    const uris = images.map((img) => vscode.Uri.file(index.imagePath(img)));
    const report = await vscode.commands.executeCommand('imageCaptioner.tagImages', uris[0], uris);
    assert.equal(report, undefined, 'no batch ran');
    assert.deepEqual(captions.map((file) => (fs.existsSync(file) ? fs.readFileSync(file).toString('base64') : undefined)), before, 'no caption changed');
    const tagger = api.captioning.registry.find('test/tiny-tagger')!;
    await assert.rejects(api.tagging.tag(uris[0].fsPath, index.boundary, tagger, DEFAULT_TAG_OPTIONS), /Local models do not run in an untrusted workspace/);
    assert.equal(api.tagging.canRun(), false);
    assert.equal(api.localModels.client.startCount, 0, 'no worker process was started');
  });

  it('Tag Images from the palette refuses before asking anything (no scope, caption file or tagger question)', async () => {
    // a question left open keeps the command waiting: it must end on its own, at once
    const running = vscode.commands.executeCommand('imageCaptioner.tagImages');
    const outcome = await Promise.race([running.then((report) => ({ report })), new Promise<'asked'>((resolve) => setTimeout(() => resolve('asked'), 8_000))]);
    if (outcome === 'asked') {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await running;
      assert.fail('Tag Images asked a question (it waited on a quick pick) in an untrusted workspace');
    }
    assert.equal(outcome.report, undefined, 'no batch ran');
    assert.equal(api.localModels.client.startCount, 0, 'no worker process was started');
  });
});
