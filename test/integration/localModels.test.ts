// Local models in a real VS Code: the worker process runs tiny generated models through the real
// transformers.js + onnxruntime-node path (no network).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import { writeTinyModels, type TinyModels } from '../fixtures/localModels/tinyModels';
import { activateExtension, captionEditorTabs, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';
import { note } from './index';

describe('local models', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let models: TinyModels;
  let root: string;
  const restore: Array<() => void> = [];

  before(async () => {
    api = await activateExtension();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-local-'));
    models = await writeTinyModels(root);
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', [
      { id: 'test/local-tiny', label: 'Tiny Local Captioner', preset: 'local', model: models.captioner, local: { task: 'image-to-text' } },
      // Never emits its end token: keeps the worker busy for max_tokens steps per image.
      { id: 'test/local-busy', label: 'Busy Local Captioner', preset: 'local', model: models.endlessCaptioner, local: { task: 'image-to-text', batchSize: 4 }, defaults: { max_tokens: 2000 }, capabilities: { stream: false } },
    ], vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('allowDownloads', false, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/local-busy'), 'the local models in the registry');
  });

  after(async () => {
    await closeAllEditors();
    for (const undo of restore.reverse()) undo();
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('allowDownloads', undefined, vscode.ConfigurationTarget.Global);
    await api.localModels.client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const keepOriginal = (image: ImageEntry): void => {
    const file = api.dataset.index!.captionPath(image);
    const original = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    restore.push(() => (original ? fs.writeFileSync(file, original) : fs.rmSync(file, { force: true })));
  };

  it('captions an image with a local model (folder path in settings) from the caption editor', async function () {
    if (!hasBrowser()) this.skip();
    await api.captioning.registry.select(api.captioning.registry.find('test/local-tiny')!);
    const readable = api.dataset.index!.images().filter((img) => !img.collision && /\.(png|jpe?g)$/i.test(img.name) && !/zero|broken/.test(img.name));
    const image = readable.find((img) => img.captionState === 'none') ?? readable[0];
    keepOriginal(image);
    await openCaptionEditor(api, image);
    const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#caption' });
    await frame.locator('vscode-button.action-generate').click();
    const card = frame.locator('.candidate[data-state="done"]');
    await card.waitFor({ timeout: 60_000 }).catch(async (err) => {
      const states = await frame.locator('.candidate').evaluateAll((cards) => cards.map((c) => `${c.getAttribute('data-state')}: ${c.textContent}`));
      throw new Error(`${(err as Error).message}\ncandidates: ${states.join(' | ')}`);
    });
    const text = (await card.locator('.candidate-text').textContent())!;
    assert.match(text, /^a (red|green|blue) ball\.?$/i, 'the tiny model\'s caption, through the worker');
    const title = (await card.locator('.candidate-title').textContent()) ?? '';
    assert.match(title, /^Tiny Local Captioner · \d+\.\d s$/);
    await screenshot('local-model-candidate');
    await card.locator('vscode-button.action-replace').click();
    await waitFor(() => captionEditorTabs()[0]?.isDirty, 'dirty editor');
    await vscode.commands.executeCommand('workbench.action.files.save');
    const file = api.dataset.index!.captionPath(image);
    await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '') === text, 'the caption file');
    const pid = await api.localModels.client.pid();
    assert.ok(pid && pid !== process.pid, 'ran in a child process');
  });

  it('keeps the extension host responsive while the worker captions a batch', async () => {
    await closeAllEditors();
    await api.captioning.registry.select(api.captioning.registry.find('test/local-busy')!);
    const index = api.dataset.index!;
    // Six readable images without a caption (their captions are put back in `after`), so the batch asks nothing.
    const targets = index.images().filter((img) => !img.collision && /\.(png|jpe?g|webp)$/i.test(img.name) && !/zero|broken/.test(img.name)).slice(0, 6);
    for (const img of targets) {
      keepOriginal(img);
      fs.rmSync(index.captionPath(img), { force: true });
      api.dataset.noteCaption(index.imagePath(img), undefined); // as the extension does for its own writes, not waiting on the watcher
    }
    const uris = targets.map((img) => vscode.Uri.file(index.imagePath(img)));
    const lags: number[] = [];
    let last = performance.now();
    const sampler = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 10);
      last = now;
    }, 10);
    const commandTimes: number[] = [];
    let finished = false;
    const batch = Promise.resolve(vscode.commands.executeCommand('imageCaptioner.captionSelected', uris[0], uris)).finally(() => (finished = true));
    try {
      // Wait until the worker is generating, then time commands while it is busy.
      await waitFor(async () => (await api.localModels.client.pid()) !== undefined, 'the worker started', 60_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let i = 0; i < 10 && !finished; i++) {
        const started = performance.now();
        await vscode.commands.executeCommand('imageCaptioner.showCaptioningLog');
        commandTimes.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await batch;
    } finally {
      clearInterval(sampler);
    }
    const sorted = [...lags].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
    note(`local batch: ${commandTimes.length} commands answered in max ${Math.max(...commandTimes).toFixed(0)} ms; timer lag p99 ${p99.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`);
    assert.ok(commandTimes.length >= 3, `the batch ran long enough to measure (${commandTimes.length} commands)`);
    assert.ok(Math.max(...commandTimes) < 200, `commands answered within 200 ms: ${commandTimes.map((t) => t.toFixed(0)).join(', ')}`);
    for (const img of targets) {
      const file = index.captionPath(img);
      assert.match(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(none)', /^a (red|green|blue) ball/, `${img.name} captioned by the local batch`);
    }
  });
});
