// A key goes only to its own service's host unless the user approved that (key, origin) pair, in a real VS Code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import { startOpenAiFakeServer, OpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { KeyEchoServer, startKeyEchoServer } from '../fixtures/fakeServers/keyEchoServer';
import { activateExtension, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';

// No `nvapi-` prefix: that piece is in the key's own label ('NVIDIA (nvapi-…)') on purpose.
const KEY = 'nvapiQ7wK2pXz9LmT4vRb8NcY3hJd6FsG1aE5uI0o';

describe('API keys go only to their own hosts', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer;
  let echo: KeyEchoServer;

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    server = await startOpenAiFakeServer();
    echo = await startKeyEchoServer();
    await api.captioning.keys.set('nvidia', KEY);
    await api.captioning.keyGate.forget();
    // Entries that inherit the NVIDIA key from the NIM preset but send their requests elsewhere.
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', [
      { id: 'test/elsewhere', preset: 'nvidia-nim', label: 'Elsewhere VLM', baseUrl: server.url, model: 'm', capabilities: { stream: false } },
      { id: 'test/plain-http', preset: 'nvidia-nim', label: 'Plain HTTP VLM', baseUrl: 'http://key-test.invalid:9/v1', model: 'm' },
      { id: 'test/echo', preset: 'nvidia-nim', label: 'Echo VLM', baseUrl: `${echo.origin}/v1`, model: 'm', capabilities: { stream: false } },
    ], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/echo'), 'the user models in the registry');
  });

  after(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
    await api?.captioning.keyGate.forget();
    await api?.captioning.keys.clear('nvidia');
    await server?.close();
    await echo?.close();
  });

  /** Opens an image in the caption editor and asks `modelId` for a caption; resolves when the generation ends. */
  async function generateWith(modelId: string): Promise<void> {
    await openCaptionEditor(api, image());
    await webviewFrame(await getWorkbenchPage(), { title: image().name, selector: '#caption' });
    await vscode.commands.executeCommand('imageCaptioner.generateCaption', [modelId]);
  }

  function image(): ImageEntry {
    return api.dataset.index!.images().find((img) => img.captionState === 'text' && !img.collision && /\.jpe?g$/i.test(img.name))!;
  }

  /**
   * The modal question the generation stopped at. VS Code refuses modal dialogs while extension tests
   * run and fails the call with the dialog's message, so the question is read from that error.
   */
  async function questionAsked(modelId: string): Promise<string> {
    const err = await generateWith(modelId).then(
      () => assert.fail('the generation should have stopped at a question'),
      (e: unknown) => e as Error,
    );
    const match = /refused to show dialog in tests\. Contents: (.*)$/s.exec(err.message);
    assert.ok(match, err.message);
    return match[1];
  }

  it('asks before a settings entry sends the NVIDIA key to another host, and sends nothing without a yes', async () => {
    assert.equal(await questionAsked('test/elsewhere'), `Send the NVIDIA (nvapi-…) API key to ${server.origin}?`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.requests.length, 0, 'no request left');
    assert.deepEqual(api.captioning.keyGate.approved(), []);
  });

  it('once the pair is approved (what answering "Send the Key There" stores) the key goes there without asking again', async () => {
    await api.captioning.keyGate.approve({ key: 'nvidia', origin: server.origin });
    await generateWith('test/elsewhere');
    await generateWith('test/elsewhere');
    assert.equal(server.requests.length, 2, 'two requests, no question');
    for (const request of server.requests) assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(api.captioning.keyGate.approved(), [{ key: 'nvidia', origin: server.origin }], 'approved for this origin and this key only');
  });

  it('"Forget Approved API Key Destinations" takes an approval back, so the next request asks again', async () => {
    await api.captioning.keyGate.approve({ key: 'nvidia', origin: server.origin });
    const page = await getWorkbenchPage();
    const forgotten = vscode.commands.executeCommand<number>('imageCaptioner.forgetKeyDestinations');
    await page.locator('.quick-input-widget .quick-input-list-row', { hasText: server.origin }).waitFor({ timeout: 10_000 });
    await screenshot('forget-key-destinations');
    await page.keyboard.press('Enter');
    assert.equal(await forgotten, 1);
    assert.deepEqual(api.captioning.keyGate.approved(), []);
    const before = server.requests.length;
    assert.match(await questionAsked('test/elsewhere'), /^Send the NVIDIA/);
    assert.equal(server.requests.length, before);
  });

  it('refuses a key over plain http to another machine, with a message saying why, and asks nothing', async () => {
    const page = await getWorkbenchPage();
    await vscode.commands.executeCommand('notifications.clearAll');
    await generateWith('test/plain-http');
    await vscode.commands.executeCommand('notifications.showList');
    const message = page.locator('.notifications-center .notification-list-item-message', { hasText: 'plain http' }).first();
    await message.waitFor({ timeout: 15_000 });
    assert.match((await message.textContent()) ?? '', /^Plain HTTP VLM would send the NVIDIA \(nvapi-…\) API key over plain http to http:\/\/key-test\.invalid:9, where anyone/);
    assert.deepEqual(api.captioning.keyGate.approved(), []);
  });

  it('a key echoed across the error text\'s cut reaches neither the editor nor any log', async () => {
    await api.captioning.keyGate.approve({ key: 'nvidia', origin: echo.origin });
    echo.shape = 'problem-json';
    echo.offset = 290; // the message keeps 300 characters of the server's text: the cut falls inside the key
    const before = echo.answered;
    await generateWith('test/echo');
    const frame = await webviewFrame(await getWorkbenchPage(), { title: image().name, selector: '#caption' });
    const card = frame.locator('.candidate[data-state="error"]');
    await card.waitFor({ timeout: 15_000 });
    assert.equal(echo.answered, before + 1);
    const shown = (await card.textContent()) ?? '';
    assert.match(shown, /HTTP 401: =+\*\*\*/, 'the echoed key, redacted where it stood');
    assert.deepEqual(keyPieces(shown), [], shown);
    await new Promise((r) => setTimeout(r, 1500)); // log channels flush to disk on a timer
    const logsRoot = path.dirname(path.dirname(api.logUri.fsPath));
    const leaks = filesWithPieces(logsRoot);
    assert.deepEqual(leaks, [], `pieces of the key in:\n${leaks.join('\n')}`);
    assert.ok(filesContaining(logsRoot, 'Echo VLM').length > 0, 'the failure itself was logged');
  });
});

/** The 6-character pieces of the key that `text` contains. */
function keyPieces(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 6 <= KEY.length; i++) if (text.includes(KEY.slice(i, i + 6))) found.push(KEY.slice(i, i + 6));
  return found;
}

/** `file: line` for each line of a file under `dir` that holds a piece of the key. */
function filesWithPieces(dir: string): string[] {
  return walk(dir).flatMap((file) =>
    fs.readFileSync(file, 'utf8').split('\n').filter((line) => keyPieces(line).length > 0).map((line) => `${path.relative(dir, file)}: ${line.slice(0, 400)}`),
  );
}

function filesContaining(dir: string, needle: string): string[] {
  return walk(dir).filter((file) => fs.readFileSync(file, 'utf8').includes(needle));
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}
