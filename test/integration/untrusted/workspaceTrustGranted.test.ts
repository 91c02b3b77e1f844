// The last suite of the untrusted window (it trusts the folder): Test Model Connection sends nothing
// and offers "Trust This Folder…"; the caption editor's notice opens VS Code's own trust editor, and
// once the folder is trusted there, Generate works against a fake server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../../src/extension';
import type { ConnectionTestRefusal } from '../../../src/commands/connectionTestCommand';
import { startOpenAiFakeServer, type OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from '../browser';
import { activateExtension, closeAllEditors, openCaptionEditor, waitFor } from '../extensionApi';

describe('untrusted workspace: first run asks for trust, then Generate works', function () {
  this.timeout(90_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer;

  before(async () => {
    api = await activateExtension();
    server = await startOpenAiFakeServer({ replyText: () => 'Sent once the folder was trusted.' });
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', [
      { id: 'test/trust-ok', label: 'Trust Test VLM', provider: 'openai-compatible', baseUrl: server.url, model: 'm', key: 'none', capabilities: { stream: false } },
    ], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/trust-ok'), 'the test model in the registry');
    await api.captioning.registry.select(api.captioning.registry.find('test/trust-ok')!);
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll');
    await server?.close();
  });

  it('Test Model Connection sends nothing and says why, with Trust This Folder…', async function () {
    assert.equal(vscode.workspace.isTrusted, false);
    await vscode.commands.executeCommand('notifications.clearAll');
    const result = await vscode.commands.executeCommand<ConnectionTestRefusal>('imageCaptioner.testModelConnection', 'test/trust-ok');
    assert.deepEqual(result, { refused: 'untrusted' });
    assert.equal(server.requests.length, 0, 'no request from an untrusted folder');
    if (!hasBrowser()) this.skip();
    const page = await getWorkbenchPage();
    await vscode.commands.executeCommand('notifications.showList');
    const item = page.locator('.notifications-center .notification-list-item', { hasText: 'Nothing was sent to Trust Test VLM' }).first();
    await item.waitFor({ timeout: 15_000 });
    const buttons = (await item.locator('.monaco-button').allTextContents()).map((b) => b.trim()).filter(Boolean);
    assert.deepEqual(buttons, ['Trust This Folder…']);
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it("the caption editor's notice opens VS Code's trust editor; trusted there, Generate reaches the model", async function () {
    if (!hasBrowser()) this.skip();
    const image = api.dataset.index!.images().find((img) => img.name === 'checkerboard.png')!;
    await openCaptionEditor(api, image);
    const page = await getWorkbenchPage();
    const frame = await webviewFrame(page, { title: image.name, selector: '#caption' });
    const trustButton = frame.locator('.generation-notice vscode-button.action-manage-trust');
    await trustButton.waitFor({ timeout: 15_000 });
    assert.match((await frame.locator('.generation-notice').textContent()) ?? '', /not trusted/);
    assert.ok(await frame.locator('vscode-button.action-generate').evaluate((b) => b.hasAttribute('disabled')), 'Generate is disabled while untrusted');
    await trustButton.click();
    const grant = page.locator('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button').first();
    await grant.waitFor({ timeout: 15_000 });
    await screenshot('trust-editor-from-caption-editor');
    assert.equal(vscode.workspace.isTrusted, false, 'the dialog asks; nothing was trusted by opening it');
    await grant.click();
    await waitFor(() => vscode.workspace.isTrusted, 'the folder trusted through VS Code\'s own editor');

    await openCaptionEditor(api, image);
    const trusted = await webviewFrame(page, { title: image.name, selector: '#caption' });
    await waitFor(async () => !(await trusted.locator('vscode-button.action-generate').evaluate((b) => b.hasAttribute('disabled'))), 'Generate enabled once trusted');
    await vscode.commands.executeCommand('imageCaptioner.generateCaption', ['test/trust-ok']);
    const card = trusted.locator('.candidate[data-state="done"]');
    await card.waitFor({ timeout: 20_000 });
    assert.equal(await card.locator('.candidate-text').textContent(), 'Sent once the folder was trusted.');
    assert.equal(server.requests.length, 1);
    await screenshot('generate-after-trust');
  });
});
