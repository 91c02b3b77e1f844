// Generating captions in a real VS Code against a fake OpenAI-compatible server on 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import { startOpenAiFakeServer, OpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { activateExtension, captionEditorTabs, closeAllEditors, filesContaining, openCaptionEditor, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';

describe('generating captions', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer;
  let second: OpenAiFakeServer;
  const restore: Array<() => void> = [];

  before(async () => {
    api = await activateExtension();
    // Deltas 80 ms apart: the editor shows a streamed candidate in pieces long enough to be seen.
    server = await startOpenAiFakeServer({ chunkIntervalMs: 80, replyText: (r) => `"A generated caption number ${r.number}."` });
    second = await startOpenAiFakeServer({ latencyMs: 300, replyText: () => 'Caption: a second opinion.' });
    const config = vscode.workspace.getConfiguration('imageCaptioner');
    await config.update('models', [
      { id: 'test/fake', label: 'Fake VLM', provider: 'openai-compatible', baseUrl: server.url, model: 'fake-vlm', key: 'none', rateLimit: { concurrency: 4 } },
      { id: 'test/second', label: 'Second VLM', provider: 'openai-compatible', baseUrl: second.url, model: 'second-vlm', key: 'none', capabilities: { stream: false } },
    ], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/fake'), 'the user models in the registry');
    await api.captioning.registry.select(api.captioning.registry.find('test/fake')!);
  });

  after(async () => {
    await closeAllEditors();
    for (const undo of restore.reverse()) undo();
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    await second?.close();
  });

  afterEach(closeAllEditors);

  const keepOriginal = (image: ImageEntry): void => {
    const file = api.dataset.index!.captionPath(image);
    const original = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    restore.push(() => (original ? fs.writeFileSync(file, original) : fs.rmSync(file, { force: true })));
  };

  it('Generate streams a candidate into the editor, Replace makes it the caption, save writes it', async function () {
    if (!hasBrowser()) this.skip();
    const image = api.dataset.index!.images().find((img) => img.captionState === 'text' && !img.collision && /\.jpe?g$/i.test(img.name))!;
    keepOriginal(image);
    await openCaptionEditor(api, image);
    const page = await getWorkbenchPage();
    const frame = await webviewFrame(page, { title: image.name, selector: '#caption' });
    await frame.locator('vscode-button.action-generate').click();
    // What the candidate shows while it runs: the reply arriving in pieces.
    const candidate = frame.locator('.candidate').first();
    await candidate.waitFor({ timeout: 20_000 });
    const shownWhileRunning: string[] = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && (await candidate.getAttribute('data-state')) === 'running';) {
      const shown = (await candidate.locator('.candidate-text').textContent()) ?? '';
      if (shown !== shownWhileRunning.at(-1)) shownWhileRunning.push(shown);
    }
    const card = frame.locator('.candidate[data-state="done"]');
    await card.waitFor({ timeout: 20_000 }).catch(async (err) => {
      const states = await frame.locator('.candidate').evaluateAll((cards) => cards.map((c) => `${c.getAttribute("data-state")}: ${c.textContent}`));
      throw new Error(`${(err as Error).message}\ncandidates: ${states.join(' | ')}\nrequests: ${server.requests.length}`);
    });
    const request = server.requests.at(-1)!;
    const raw = `"A generated caption number ${request.number}."`;
    const partial = shownWhileRunning.filter((shown) => shown.length > 0 && shown.length < raw.length && raw.startsWith(shown));
    assert.ok(partial.length >= 2, `the candidate grew as the reply streamed in: ${JSON.stringify(shownWhileRunning)}`);
    assert.equal(request.url, '/v1/chat/completions');
    assert.equal(request.body.model, 'fake-vlm');
    assert.equal(request.body.stream, true);
    const [imagePart, textPart] = request.body.messages.at(-1).content;
    assert.equal(imagePart.type, 'image_url');
    assert.match(imagePart.image_url.url, /^data:image\/jpeg;base64,/);
    assert.match(textPart.text, /Write a single concise caption in <= 25 tokens/);
    const candidateText = (await card.locator('.candidate-text').textContent())!;
    assert.match(candidateText, /^A generated caption number \d+\.$/, 'streamed, then cleaned of its quotes');
    await screenshot('generate-candidate');
    await card.locator('vscode-button.action-replace').click();
    await waitFor(async () => (await frame.locator('#caption textarea').inputValue()) === candidateText, 'the caption replaced');
    await waitFor(() => captionEditorTabs()[0]?.isDirty, 'dirty editor');
    await vscode.commands.executeCommand('workbench.action.files.save');
    const file = api.dataset.index!.captionPath(image);
    await waitFor(() => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n') === candidateText, 'the caption file');
    await vscode.commands.executeCommand('undo');
    await waitFor(async () => (await frame.locator('#caption textarea').inputValue()) !== candidateText, 'Replace undone in one step');
  });

  it('Compare runs two models side by side with their times, and keeps the one picked', async function () {
    if (!hasBrowser()) this.skip();
    const image = api.dataset.index!.images().find((img) => img.captionState === 'none' && !img.collision && img.name.endsWith('.png') && !img.name.startsWith('zero'))!;
    keepOriginal(image);
    await openCaptionEditor(api, image);
    const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#caption' });
    await vscode.commands.executeCommand('imageCaptioner.compareModels', ['test/fake', 'test/second']);
    await waitFor(async () => (await frame.locator('.candidate[data-state="done"]').count()) === 2, 'two candidates');
    const titles = await frame.locator('.candidate .candidate-title').allTextContents();
    assert.ok(titles.some((t) => /^Fake VLM · \d+\.\d s$/.test(t)), titles.join(' | '));
    assert.ok(titles.some((t) => /^Second VLM · \d+\.\d s$/.test(t)), titles.join(' | '));
    const secondCard = frame.locator('.candidate[data-model="test/second"]');
    assert.equal(await secondCard.locator('.candidate-text').textContent(), 'a second opinion.');
    await screenshot('compare-models');
    await secondCard.locator('vscode-button.action-replace').click();
    await vscode.commands.executeCommand('workbench.action.files.save');
    const file = api.dataset.index!.captionPath(image);
    await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8') === 'a second opinion.', 'the kept caption written');
  });

  it('never lets an API key reach the screen, a log or the settings, even when the server echoes it', async function () {
    if (!hasBrowser()) this.skip();
    const KEY = 'nvapi-LEAK-CANARY-0123456789abcdef';
    await api.captioning.keys.set('leaktest', KEY);
    const leaky = await startOpenAiFakeServer({ script: () => ({ kind: 'status', status: 401 }) });
    // A key of the user's own naming belongs to no host until approved; this test is about what comes back.
    await api.captioning.keyGate.approve({ key: 'leaktest', origin: leaky.origin });
    try {
      const models = vscode.workspace.getConfiguration('imageCaptioner').get<unknown[]>('models', []);
      await vscode.workspace.getConfiguration('imageCaptioner').update('models', [...models, { id: 'test/leaky', label: 'Leaky VLM', provider: 'openai-compatible', baseUrl: leaky.url, model: 'm', key: 'leaktest', capabilities: { stream: false } }], vscode.ConfigurationTarget.Global);
      await waitFor(() => api.captioning.registry.find('test/leaky'), 'the leaky model');
      const image = api.dataset.index!.images().find((img) => img.captionState === 'text' && !img.collision)!;
      await openCaptionEditor(api, image);
      const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#caption' });
      await vscode.commands.executeCommand('imageCaptioner.generateCaption', ['test/leaky']);
      const card = frame.locator('.candidate[data-state="error"]');
      await card.waitFor({ timeout: 15_000 });
      assert.equal(leaky.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`, 'the key was sent to the server, and only there');
      const shown = (await card.textContent()) ?? '';
      assert.match(shown, /HTTP 401/);
      assert.match(shown, /Set API Key/);
      assert.ok(!shown.includes(KEY) && !shown.includes('LEAK-CANARY'), shown);
      await new Promise((r) => setTimeout(r, 1500)); // log channels flush to disk on a timer
      const logsRoot = path.dirname(path.dirname(api.logUri.fsPath));
      const leaks = filesContaining(logsRoot, 'LEAK-CANARY');
      assert.deepEqual(leaks, [], `key found in ${leaks.join(', ')}`);
      // <user data>/logs/<session> -> <user data>/User/settings.json, where the Global models setting above was written.
      const settingsFile = path.join(path.dirname(path.dirname(logsRoot)), 'User', 'settings.json');
      const settings = fs.readFileSync(settingsFile, 'utf8');
      assert.ok(settings.includes('test/leaky'), `${settingsFile} is the file that holds the user's models`);
      assert.ok(!settings.includes('LEAK-CANARY'), `key found in ${settingsFile}`);
      assert.ok(filesContaining(logsRoot, 'Leaky VLM').length > 0, 'the failure itself was logged');
    } finally {
      await leaky.close();
      await api.captioning.keys.clear('leaktest');
      await api.captioning.keyGate.forget([{ key: 'leaktest', origin: leaky.origin }]);
    }
  });

  it('Caption Uncaptioned from the palette captions every uncaptioned image once and leaves captions alone', async () => {
    const index = api.dataset.index!;
    await api.dataset.loadCaptions(index.images());
    const targets = index.images().filter((img) => !img.collision && (img.captionState === 'none' || img.captionState === 'empty'));
    const untouched = index.images().filter((img) => img.captionState === 'text').map((img) => [index.captionPath(img), fs.readFileSync(index.captionPath(img))] as const);
    for (const img of targets) keepOriginal(img);
    const before = server.requests.length;
    const unreadable = new Set(['broken.jpg', 'zero-bytes.png']);
    assert.deepEqual(targets.map((img) => img.name).filter((name) => unreadable.has(name)).sort(), [...unreadable].sort(), 'the unreadable images are among the uncaptioned ones');
    await vscode.commands.executeCommand('imageCaptioner.captionUncaptioned');
    for (const img of targets) {
      const file = index.captionPath(img);
      if (unreadable.has(img.name)) assert.equal(fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() !== '', false, `${img.name} cannot be read: no caption`);
      else assert.match(fs.readFileSync(file, 'utf8'), /^A generated caption number \d+\.$/, img.name);
    }
    for (const [file, bytes] of untouched) assert.deepEqual(fs.readFileSync(file), bytes, `${file} untouched`);
    const sent = server.requests.slice(before);
    assert.equal(sent.length, targets.length - unreadable.size, 'one request per readable uncaptioned image');
  });
});
