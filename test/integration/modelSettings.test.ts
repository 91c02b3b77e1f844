// Models from every settings scope, the model picker's order, and the concurrency a user sets, in a real VS Code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { BatchReport } from '../../src/services/batchRunner';
import { startOpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { getWorkbenchPage, hasBrowser, screenshot } from './browser';
import { activateExtension, filesContaining, waitFor } from './extensionApi';
import { writeMachineSettings } from './settingsScopes';

describe('model settings', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let workspaceSettingsFile: string;
  let workspaceSettings: string | undefined;
  const restore: Array<() => void> = [];

  const config = (scope?: vscode.Uri): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner', scope);
  /** An entry no request ever reaches: the Ollama preset on its default local URL, with no key. */
  const entry = (id: string, label: string) => ({ id, label, preset: 'ollama', model: id });
  const has = (id: string): boolean => Boolean(api.captioning.registry.find(id));

  before(async () => {
    api = await activateExtension();
    workspaceSettingsFile = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');
    workspaceSettings = fs.existsSync(workspaceSettingsFile) ? fs.readFileSync(workspaceSettingsFile, 'utf8') : undefined;
  });

  afterEach(async () => {
    // The remote machine's value first: clearing the Global target while it holds one would clear it there instead.
    writeMachineSettings({});
    await waitFor(() => (config().inspect('models') as { globalRemoteValue?: unknown } | undefined)?.globalRemoteValue === undefined, 'the remote machine settings gone');
    for (const key of ['models', 'batch.concurrency', 'batch.mode']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    if (workspaceSettings === undefined) fs.rmSync(workspaceSettingsFile, { force: true });
    else fs.writeFileSync(workspaceSettingsFile, workspaceSettings);
    for (const undo of restore.splice(0).reverse()) await undo();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('uses the models of every scope at once (user, remote machine, workspace, folder) and knows where each came from', async () => {
    await config().update('models', [entry('test/user', 'From the user')], vscode.ConfigurationTarget.Global);
    writeMachineSettings({ 'imageCaptioner.models': [entry('test/machine', 'From the machine')] });
    await waitFor(() => has('test/user') && has('test/machine'), 'the user\'s and the remote machine\'s models');
    // VS Code's get() would now return the workspace's list alone: it never merges lists across scopes.
    await config().update('models', [entry('test/workspace', 'From the workspace')], vscode.ConfigurationTarget.Workspace);
    await waitFor(() => has('test/workspace'), 'the workspace\'s model');
    assert.ok(has('test/user') && has('test/machine'), 'the user\'s and the machine\'s models stay beside the workspace\'s');
    const origin = (id: string) => api.captioning.registry.origin(api.captioning.registry.find(id)!);
    assert.deepEqual([origin('test/user'), origin('test/machine'), origin('test/workspace')], [{ scope: 'user' }, { scope: 'machine' }, { scope: 'workspace' }]);
    assert.deepEqual(origin('openai/gpt-4o'), { scope: 'catalog' });

    // The folder's own settings: a single-folder window keeps them in the same file as the workspace's.
    const folder = vscode.workspace.workspaceFolders![0].uri;
    await config(folder).update('models', [entry('test/folder', 'From the folder')], vscode.ConfigurationTarget.WorkspaceFolder);
    await waitFor(() => has('test/folder'), 'the folder\'s model');
    assert.ok(has('test/user') && has('test/machine'), 'still beside the user\'s and the machine\'s');
    assert.match(fs.readFileSync(workspaceSettingsFile, 'utf8'), /test\/folder/, 'written to the folder\'s .vscode/settings.json');
  });

  it('a more specific scope replaces an entry with the same id, and the log says which replaced which', async () => {
    await config().update('models', [{ ...entry('test/same', 'Written by the user'), model: 'from-user' }], vscode.ConfigurationTarget.Global);
    await waitFor(() => has('test/same'), 'the user\'s entry');
    writeMachineSettings({ 'imageCaptioner.models': [{ ...entry('test/same', 'Written on the machine'), model: 'from-machine' }] });
    await waitFor(() => api.captioning.registry.find('test/same')?.model === 'from-machine', 'the machine\'s entry in its place');
    assert.equal(api.captioning.registry.all().filter((m) => m.id === 'test/same').length, 1);
    assert.deepEqual(api.captioning.registry.origin(api.captioning.registry.find('test/same')!), { scope: 'machine' });
    await waitFor(() => filesContaining(logsRoot(), 'Model "test/same" from Remote machine settings replaces the one from User settings').length > 0, 'the log line', 10_000);
  });

  it('an entry that is skipped is named, with where it is written and its field, in a warning and the log, as text', async function () {
    if (!hasBrowser()) this.skip();
    await vscode.commands.executeCommand('notifications.clearAll');
    const name = 'test/bad [docs](https://example.com/x)';
    writeMachineSettings({ 'imageCaptioner.models': [entry('test/good', 'Good one'), { ...entry(name, 'Bad one'), maxImageSide: 'huge' }] });
    await waitFor(() => has('test/good'), 'the good entry of the same list');
    assert.equal(has(name), false, 'the bad entry is not offered');
    const expected = `Model entry "${name}" (imageCaptioner.models[1] in Remote machine settings) skipped: field "maxImageSide" must be a whole number from 64 to 8192`;

    const page = await getWorkbenchPage();
    await vscode.commands.executeCommand('notifications.showList');
    const message = page.locator('.notifications-center .notification-list-item-message', { hasText: 'skipped: field "maxImageSide"' }).first();
    await message.waitFor({ timeout: 15_000 });
    await screenshot('model-entry-skipped');
    const shown = ((await message.textContent()) ?? '').replaceAll('\u2060', '');
    assert.equal(shown, `One model entry was skipped. ${expected}`);
    assert.equal(await message.locator('a').count(), 0, 'the entry\'s name is text, not a link');
    await vscode.commands.executeCommand('notifications.hideList');
    await waitFor(() => filesContaining(logsRoot(), expected).length > 0, 'the log line', 10_000);
  });

  it('the model picker offers the selected model first, then the user\'s own with their scope, then the catalogue, each saying whether its key is at hand', async function () {
    if (!hasBrowser()) this.skip();
    await api.captioning.keys.set('openai', 'sk-picker-test-0123456789');
    restore.push(() => api.captioning.keys.clear('openai'));
    const previous = api.captioning.registry.selected();
    restore.push(async () => previous && api.captioning.registry.select(previous));
    await config().update('models', [entry('test/user', 'From the user')], vscode.ConfigurationTarget.Global);
    writeMachineSettings({ 'imageCaptioner.models': [entry('test/machine', 'From the machine')] });
    await waitFor(() => has('test/user') && has('test/machine'), 'the user\'s models');
    await api.captioning.registry.select(api.captioning.registry.find('openai/gpt-4o')!);

    const page = await getWorkbenchPage();
    const picked = vscode.commands.executeCommand('imageCaptioner.selectModel');
    try {
      const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await rows.first().waitFor({ timeout: 15_000 });
      await screenshot('model-picker');
      // Each row reads "label, description, detail[, group heading]" to a screen reader: the whole row as text.
      const shown = await rows.evaluateAll((els) =>
        els.map((el) => [Number(el.getAttribute('data-index')), el.getAttribute('aria-label') ?? ''] as const).sort((a, b) => a[0] - b[0]).slice(0, 4).map(([, label]) => label),
      );
      assert.match(shown[0], /GPT-4o, gpt-4o, Key stored \(OpenAI \(sk-…\)\), Selected$/);
      assert.equal(shown[1], 'From the machine, test/machine, No key needed: a server on this machine · from Remote machine settings, Your models');
      assert.equal(shown[2], 'From the user, test/user, No key needed: a server on this machine · from User settings');
      assert.match(shown[3], /^Llama 3\.1 Nemotron Nano VL 8B, nvidia\/llama-3\.1-nemotron-nano-vl-8b-v1, (No key yet: asks for NVIDIA \(nvapi-…\) when used|Key from (NVIDIA|NGC)_API_KEY), NVIDIA NIM$/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await picked;
    }
  });

  it('a batch with imageCaptioner.batch.concurrency 8 on a model whose preset allows 4 at a time (and 35/min) has 8 requests in flight', async () => {
    const server = await startOpenAiFakeServer({ latencyMs: 1500 });
    restore.push(() => server.close());
    await config().update('models', [
      { id: 'test/nim-like', label: 'NIM-compatible VLM', preset: 'nvidia-nim', baseUrl: server.url, model: 'm', key: 'none', capabilities: { stream: false } },
    ], vscode.ConfigurationTarget.Global);
    await config().update('batch.concurrency', 8, vscode.ConfigurationTarget.Global);
    await config().update('batch.mode', 'append', vscode.ConfigurationTarget.Global);
    await waitFor(() => has('test/nim-like'), 'the model');
    const previous = api.captioning.registry.selected();
    restore.push(async () => previous && api.captioning.registry.select(previous));
    await api.captioning.registry.select(api.captioning.registry.find('test/nim-like')!);
    const index = api.dataset.index!;
    const images = index.images().filter((img) => !img.collision && /\.(jpe?g|png|webp)$/i.test(img.name) && !['broken.jpg', 'zero-bytes.png'].includes(img.name));
    assert.ok(images.length >= 10, `${images.length} readable images`);
    for (const img of images) {
      const file = index.captionPath(img);
      const original = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
      restore.push(() => (original ? fs.writeFileSync(file, original) : fs.rmSync(file, { force: true })));
    }
    const uris = images.map((img) => vscode.Uri.file(index.imagePath(img)));
    const report = await vscode.commands.executeCommand<BatchReport | undefined>('imageCaptioner.captionSelected', uris[0], uris);
    assert.equal(report?.summary.written, images.length, 'every image captioned');
    assert.equal(server.requests.length, images.length);
    assert.equal(server.stats.maxInFlight, 8, `requests in flight at most: ${server.stats.maxInFlight}`);
    assert.deepEqual({ concurrency: report.limits.concurrency, from: report.limits.concurrencyFrom, rpm: report.limits.rpm, lifted: report.limits.liftedPresetRpm }, { concurrency: 8, from: 'setting', rpm: undefined, lifted: 35 });
    await waitFor(() => filesContaining(logsRoot(), 'up to 8 requests at a time (your setting imageCaptioner.batch.concurrency), no requests-per-minute limit (your concurrency setting lifts the preset\'s 35/min').length > 0, 'the limits in the log', 10_000);
  });

  /** The session's log folder: every channel's file, this extension's included. */
  function logsRoot(): string {
    return path.dirname(path.dirname(api.logUri.fsPath));
  }
});
