// First run (issue 15): the walkthrough, Open Sample Dataset and Test Model Connection in a real VS Code,
// with fake servers on 127.0.0.1 producing each failure the test must name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Page } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ConnectionTestResult } from '../../src/providers/connectionTest';
import type { SampleDatasetOpened } from '../../src/commands/gettingStarted';
import { SAMPLE_MARKER } from '../../src/core/sample/sampleDataset';
import { closedPort } from '../fixtures/fakeServers/closedPort';
import { faults, OpenAiFakeServer, startOpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { getWorkbenchPage, hasBrowser, screenshot } from './browser';
import { activateExtension, activeCaptionEditorPath, closeAllEditors, waitFor } from './extensionApi';

const KEY = 'walk-SECRET-key-0123456789';

describe('first run: walkthrough, sample dataset, connection test', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer;
  let refusedPort: number;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');

  before(async () => {
    api = await activateExtension();
    server = await startOpenAiFakeServer({ replyText: () => 'A red circle.' });
    refusedPort = await closedPort();
    const entry = { provider: 'openai-compatible', model: 'acme/vision-1', capabilities: { stream: false } };
    await config().update('models', [
      { id: 'test/walk-ok', label: 'Walk OK VLM', baseUrl: server.url, key: 'none', ...entry },
      { id: 'test/walk-nokey', label: 'Walk No Key VLM', baseUrl: server.url, key: 'walkmissing', ...entry },
      { id: 'test/walk-rejected', label: 'Walk Rejected VLM', baseUrl: server.url, key: 'walkkey', ...entry },
      { id: 'test/walk-unreachable', label: 'Walk Unreachable VLM', baseUrl: `http://127.0.0.1:${refusedPort}/v1`, key: 'none', ...entry },
      { id: 'test/walk-unknown', label: 'Walk Unknown VLM', baseUrl: server.url, key: 'none', ...entry },
    ], vscode.ConfigurationTarget.Global);
    await api.captioning.keys.set('walkkey', KEY);
    await api.captioning.keyGate.approve({ key: 'walkkey', origin: server.origin });
    await waitFor(() => api.captioning.registry.find('test/walk-unknown'), 'the suite\'s models in the registry');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
    await config().update('models', undefined, vscode.ConfigurationTarget.Global);
    await api?.captioning.keys.clear('walkkey');
    await vscode.commands.executeCommand('notifications.clearAll');
    await server?.close();
  });

  it('the first activation opened the walkthrough, and only the first', async function () {
    assert.equal(await api.walkthroughShownOnActivation, true, 'a fresh profile: the walkthrough opens on activation');
    assert.equal(await api.gettingStarted.showOnFirstActivation(), false, 'a second time it stays closed');
    if (!hasBrowser()) this.skip();
    await closeAllEditors();
    await api.gettingStarted.resetFirstActivation();
    assert.equal(await api.gettingStarted.showOnFirstActivation(), true);
    const page = await getWorkbenchPage();
    await page.locator('.gettingStartedContainer h2.category-title', { hasText: 'Get Started with Image Captioner' }).waitFor({ timeout: 20_000 });
    const steps = await page.locator('.gettingStartedContainer button.getting-started-step').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-step-id')?.split('#').at(-1)));
    assert.deepEqual(steps, ['openDataset', 'chooseModel', 'captionOne', 'captionBatch', 'cleanUp', 'export']);
    await screenshot('walkthrough');
  });

  /** Expands a step of the open walkthrough and clicks its button with `label`. */
  async function clickStepButton(page: Page, step: string, label: string): Promise<void> {
    const header = page.locator(`.gettingStartedContainer button.getting-started-step[data-step-id$="#${step}"]`);
    await header.click();
    await waitFor(async () => (await header.getAttribute('aria-expanded')) === 'true', `step ${step} expanded`);
    await page.locator('.gettingStartedContainer .getting-started-step.expanded .button-container .monaco-button', { hasText: label }).first().click();
  }

  const stepDone = async (page: Page, step: string): Promise<boolean> =>
    (await page.locator(`.gettingStartedContainer button.getting-started-step[data-step-id$="#${step}"]`).getAttribute('aria-checked')) === 'true';

  it("each step's button runs its command", async function () {
    if (!hasBrowser()) this.skip();
    const page = await getWorkbenchPage();
    await api.gettingStarted.openWalkthrough();
    await page.locator('.gettingStartedContainer h2.category-title', { hasText: 'Get Started with Image Captioner' }).waitFor({ timeout: 20_000 });
    // No model remembered: batch commands then ask which model instead of sending anything.
    await api.captioning.registry.select(api.captioning.registry.find('test/walk-ok')!);
    const models = config().get<unknown[]>('models', []);
    await config().update('models', models.filter((m) => (m as { id: string }).id !== 'test/walk-ok'), vscode.ConfigurationTarget.Global);
    await waitFor(() => !api.captioning.registry.selected(), 'no model remembered');
    await waitFor(() => api.treeView.message?.startsWith('No captioning model chosen yet'), "the Dataset view's hint when no model is chosen");

    // Open Sample Dataset: the folder is written; opening it would reload this window, so the seam records it
    const opened: string[] = [];
    const original = api.gettingStarted.openFolder;
    api.gettingStarted.openFolder = async (uri) => void opened.push(uri.fsPath);
    try {
      await clickStepButton(page, 'openDataset', 'Open Sample Dataset');
      await waitFor(() => opened.length === 1, 'the sample folder opened');
    } finally {
      api.gettingStarted.openFolder = original;
    }
    assert.equal(opened[0], api.gettingStarted.sampleFolder);
    assert.ok(await stepDone(page, 'openDataset'));

    const quickInputTitle = page.locator('.quick-input-widget .quick-input-title');
    await clickStepButton(page, 'chooseModel', 'Choose a Model');
    await quickInputTitle.filter({ hasText: 'Caption with which model?' }).waitFor({ timeout: 10_000 });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');

    await clickStepButton(page, 'captionBatch', 'Caption Uncaptioned Images');
    await quickInputTitle.filter({ hasText: 'Caption with which model?' }).waitFor({ timeout: 10_000 });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await waitFor(() => stepDone(page, 'captionBatch'), 'the batch step checked by its command');

    await clickStepButton(page, 'cleanUp', 'Lint Captions');
    await waitFor(() => stepDone(page, 'cleanUp'), 'the clean-up step checked by its command');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');

    await clickStepButton(page, 'export', 'Export as WebDataset Shards');
    await waitFor(() => stepDone(page, 'export'), 'the export step checked by its command');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');

    await clickStepButton(page, 'captionOne', 'Open the Caption Editor');
    await waitFor(() => activeCaptionEditorPath(), 'an image in the caption editor');
    await screenshot('walkthrough-steps');
  });

  it('Open Sample Dataset writes the sample into global storage and opens that folder', async () => {
    const opened: vscode.Uri[] = [];
    const original = api.gettingStarted.openFolder;
    api.gettingStarted.openFolder = async (uri) => void opened.push(uri);
    let result: SampleDatasetOpened | undefined;
    try {
      fs.rmSync(api.gettingStarted.sampleFolder, { recursive: true, force: true });
      result = await vscode.commands.executeCommand<SampleDatasetOpened>('imageCaptioner.openSampleDataset');
    } finally {
      api.gettingStarted.openFolder = original;
    }
    const folder = api.gettingStarted.sampleFolder;
    assert.deepEqual(result, { folder, outcome: 'created' });
    assert.ok(folder.includes('globalStorage'), `${folder} is in the extension's global storage`);
    assert.ok(fs.existsSync(path.join(folder, SAMPLE_MARKER)));
    assert.equal(fs.readFileSync(path.join(folder, 'sunset.txt'), 'utf8').slice(0, 27), 'A large orange sun setting ');
    assert.ok(fs.statSync(path.join(folder, 'landscapes', 'meadow.jpg')).size > 10_000);
    assert.deepEqual(opened.map((u) => u.fsPath), [folder]);
  });

  /** Runs the command on a model; returns its answer and the notification the user sees (text, buttons). */
  async function testConnection(modelId: string): Promise<{ result: ConnectionTestResult; text?: string; buttons?: string[] }> {
    await vscode.commands.executeCommand('notifications.clearAll');
    const result = await vscode.commands.executeCommand<ConnectionTestResult>('imageCaptioner.testModelConnection', modelId);
    if (!hasBrowser()) return { result };
    const page = await getWorkbenchPage();
    await vscode.commands.executeCommand('notifications.showList');
    const label = api.captioning.registry.find(modelId)!.label;
    const item = page.locator('.notifications-center .notification-list-item', { hasText: label }).first();
    await item.waitFor({ timeout: 15_000 });
    const text = ((await item.locator('.notification-list-item-message').textContent()) ?? '').replaceAll('\u2060', '');
    const buttons = (await item.locator('.monaco-button').allTextContents()).map((b) => b.trim()).filter(Boolean);
    await vscode.commands.executeCommand('notifications.hideList');
    return { result, text, buttons };
  }

  it('Test Model Connection: a model that answers gives its reply and the latency', async () => {
    await config().update('models', [...config().get<unknown[]>('models', []), { id: 'test/walk-ok', label: 'Walk OK VLM', provider: 'openai-compatible', model: 'acme/vision-1', baseUrl: server.url, key: 'none', capabilities: { stream: false } }], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/walk-ok'), 'the answering model back');
    const before = server.requests.length;
    const { result, text, buttons } = await testConnection('test/walk-ok');
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.reply, 'A red circle.');
    assert.equal(server.requests.length, before + 1);
    if (text !== undefined) {
      assert.match(text, /^Walk OK VLM answered in \d+ ms: "A red circle\."$/);
      assert.deepEqual(buttons, []);
    }
  });

  it('Test Model Connection: no key, key rejected, host unreachable, model unknown, each with its fix', async function () {
    const before = server.requests.length;
    const noKey = await testConnection('test/walk-nokey');
    assert.equal(server.requests.length, before, 'no key: nothing sent');

    server.setScript([faults.unauthorized()]);
    const rejected = await testConnection('test/walk-rejected');
    assert.equal(server.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`);

    const unreachable = await testConnection('test/walk-unreachable');

    server.setScript([{ kind: 'status', status: 404, body: { error: { message: 'model "acme/vision-1" not found, try pulling it first', type: 'api_error' } } }]);
    const unknown = await testConnection('test/walk-unknown');
    server.setScript(undefined);

    const problems = [noKey, rejected, unreachable, unknown].map(({ result }) => (result.ok ? 'ok' : result.problem));
    assert.deepEqual(problems, ['no-key', 'key-rejected', 'unreachable', 'model-unknown']);
    if (!hasBrowser()) this.skip();
    await screenshot('connection-test-unknown-model');
    assert.match(noKey.text!, /^Walk No Key VLM needs an API key and none is set: nothing was sent\.$/);
    assert.deepEqual(noKey.buttons, ['Set API Key…']);
    assert.match(rejected.text!, /^Walk Rejected VLM rejected the API key \(HTTP 401\)\. .*Incorrect API key provided: \*\*\*/);
    assert.ok(!rejected.text!.includes(KEY), 'the key never reaches the screen');
    assert.deepEqual(rejected.buttons, ['Set API Key…']);
    assert.match(unreachable.text!, new RegExp(`^Walk Unreachable VLM cannot be reached at 127\\.0\\.0\\.1:${refusedPort}\\. .*ECONNREFUSED`));
    assert.deepEqual(unreachable.buttons, ['Edit Model', 'Retry']);
    assert.match(unknown.text!, /^Walk Unknown VLM: the server does not know the model "acme\/vision-1" \(HTTP 404\)\. .*try pulling it first/);
    assert.deepEqual(unknown.buttons, ['Edit Model']);
  });
});
