// A window whose folder is not trusted (workspace trust on, restricted mode): captions can be
// browsed, but no request leaves for any model and no local model process starts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../../src/extension';
import { Requests } from '../../../src/worker/protocol';
import { startOpenAiFakeServer, type OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { writeTinyModels, type TinyModels } from '../../fixtures/localModels/tinyModels';
import { activateExtension, waitFor } from '../extensionApi';
import { writeMachineSettings, writeSettingsUntilRead } from '../settingsScopes';

describe('untrusted workspace', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer;
  let models: TinyModels;
  let root: string;

  before(async () => {
    api = await activateExtension();
    server = await startOpenAiFakeServer({ replyText: () => 'must never be asked' });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-untrusted-'));
    models = await writeTinyModels(root);
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', [
      { id: 'test/remote', label: 'Remote VLM', provider: 'openai-compatible', baseUrl: server.url, model: 'm', key: 'none' },
      { id: 'test/local', label: 'Local VLM', preset: 'local', model: models.captioner, local: { task: 'image-to-text' } },
    ], vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('clipModel', models.clip, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/local'), 'the test models in the registry');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('clipModel', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('runs in restricted mode and still indexes the dataset and reads captions', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const index = api.dataset.index!;
    assert.ok(index.size > 10, `${index.size} images indexed`);
    assert.ok(index.images().some((img) => img.captionState === 'text'), 'captions read');
  });

  it('ignores the workspace\'s own values of the settings that shape paths and models (restricted settings)', async () => {
    const settingsFile = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');
    const original = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    const config = () => vscode.workspace.getConfiguration('imageCaptioner');
    try {
      // A setting that is not restricted shows when VS Code has read the file.
      const hostile = { ...(original ? JSON.parse(original) : {}), 'imageCaptioner.captionExtension': '/../../leak.txt', 'imageCaptioner.clipScore.failedFolder': '../elsewhere', 'imageCaptioner.tree.descriptionLength': 7 };
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      fs.writeFileSync(settingsFile, JSON.stringify(hostile, null, 2));
      await waitFor(() => config().get('tree.descriptionLength') === 7, 'the workspace settings file read');
      assert.equal(config().get('captionExtension'), '.txt', 'restricted mode uses the default, not the workspace value');
      assert.equal(config().get('clipScore.failedFolder'), 'clip_failed');
      await api.dataset.refresh();
      assert.equal(api.dataset.index!.options.captionExtension, '.txt');
    } finally {
      if (original === undefined) fs.rmSync(settingsFile);
      else fs.writeFileSync(settingsFile, original);
      await waitFor(() => config().get('tree.descriptionLength') !== 7, 'the workspace settings file restored');
    }
  });

  it('offers the user\'s and the remote machine\'s models, never one from the workspace\'s own settings', async () => {
    const settingsFile = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');
    const original = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    const config = () => vscode.workspace.getConfiguration('imageCaptioner');
    const model = (id: string) => ({ id, label: id, provider: 'openai-compatible', baseUrl: server.url, model: 'm', key: 'none' });
    try {
      const hostile = { ...(original ? JSON.parse(original) : {}), 'imageCaptioner.models': [model('test/from-workspace')], 'imageCaptioner.tree.descriptionLength': 9 };
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      await writeSettingsUntilRead(() => {
        fs.writeFileSync(settingsFile, JSON.stringify(hostile, null, 2));
        writeMachineSettings({ 'imageCaptioner.models': [model('test/from-machine')] });
      }, () => config().get('tree.descriptionLength') === 9 && api.captioning.registry.find('test/from-machine'), 'both settings files read');
      assert.equal(api.captioning.registry.find('test/from-workspace'), undefined, 'the workspace\'s model is not offered');
      assert.ok(api.captioning.registry.find('test/remote'), 'the user\'s models stay');
    } finally {
      await writeSettingsUntilRead(() => {
        writeMachineSettings({});
        fs.writeFileSync(settingsFile, original ?? '{}'); // a write each try (an rm would be seen once at most)
      }, () => config().get('tree.descriptionLength') !== 9 && !api.captioning.registry.find('test/from-machine'), 'the settings files restored');
      if (original === undefined) fs.rmSync(settingsFile, { force: true });
    }
  });

  it('sends no request to a remote model, from a single image or a batch', async () => {
    const remote = api.captioning.registry.find('test/remote')!;
    assert.equal(await api.captioning.prepareToSend(remote), undefined, 'refused before any key or request');
    await api.captioning.registry.select(remote);
    const before = snapshotCaptions(api);
    await vscode.commands.executeCommand('imageCaptioner.captionUncaptioned');
    assert.equal(server.requests.length, 0, 'nothing reached the server');
    assert.deepEqual(snapshotCaptions(api), before, 'no caption file written');
  });

  it('refuses every batch command from the palette before asking anything (scope, caption file, model, mode)', async () => {
    await api.captioning.registry.select(api.captioning.registry.find('test/remote')!);
    const before = snapshotCaptions(api);
    for (const command of ['captionAll', 'captionUncaptioned', 'captionSelected', 'captionFiltered', 'regions.fuseSelected', 'retryFailedCaptions', 'resumeCaptioning']) {
      // a question left open keeps the command waiting: it must end on its own, at once
      const running = vscode.commands.executeCommand(`imageCaptioner.${command}`);
      const outcome = await Promise.race([running.then((report) => ({ report })), new Promise<'asked'>((resolve) => setTimeout(() => resolve('asked'), 8_000))]);
      if (outcome === 'asked') {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await running;
        assert.fail(`${command} asked a question (it waited on a quick pick) in an untrusted workspace`);
      }
      assert.equal(outcome.report, undefined, `${command} ran no batch`);
    }
    assert.equal(server.requests.length, 0, 'nothing reached the server');
    assert.deepEqual(snapshotCaptions(api), before, 'no caption file written');
  });

  it('starts no local model process, for captions, embeddings, CLIP score or segmentation', async () => {
    const local = api.captioning.registry.find('test/local')!;
    assert.equal(await api.captioning.prepareToSend(local), undefined);
    await assert.rejects(
      api.localModels.request(Requests.embedText, { model: { id: models.textEmbedder, task: 'feature-extraction' }, texts: ['a'] }),
      /Local models do not run in an untrusted workspace/,
    );
    const image = api.dataset.index!.imagePath(api.dataset.index!.images()[0]);
    await assert.rejects(
      api.localModels.segmentationBackend.segment({ model: { id: models.sam, task: 'sam' }, image: { path: image }, points: [{ x: 0.5, y: 0.5, positive: true }] }),
      /Local models do not run in an untrusted workspace/,
    );
    const objects = vscode.Uri.file(path.join(api.dataset.rootPath!, 'objects'));
    await vscode.commands.executeCommand('imageCaptioner.clipScore.run', objects);
    assert.equal(api.localModels.client.startCount, 0, 'no worker process was started');
    assert.equal(await api.localModels.client.pid(), undefined);
  });
});

/** Every caption file's bytes, by path. */
function snapshotCaptions(api: ImageCaptionerApi): Map<string, string> {
  const index = api.dataset.index!;
  const files = new Map<string, string>();
  for (const img of index.images()) {
    const file = index.captionPath(img);
    if (fs.existsSync(file)) files.set(file, fs.readFileSync(file).toString('base64'));
  }
  return files;
}
