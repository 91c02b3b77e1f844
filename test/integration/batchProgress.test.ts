// A running batch is visible where a user looks, in the real workbench: the progress notification's
// toast (count, rate, time left, Cancel), the status bar item, the Dataset view's progress bar; and
// its outcome stays in the status bar after the finish message's toast is gone, and a click on it opens the log.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Page } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import type { BatchReport } from '../../src/services/batchRunner';
import { startOpenAiFakeServer, OpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot } from './browser';
import { note } from './index';

/** Readable, distinct-caption images of the sample dataset (no collision, no broken bytes). */
const IMAGES = ['sunset.jpg', 'LAKE.JPG', 'tall-tree.jpg', 'red-car.jpg', 'coffee cup.jpg', 'checkerboard.png'];

/** The batch's status bar item (VS Code gives an extension's item the id `<extension id>.<item id>`). */
const STATUS_ITEM = '.statusbar-item[id$="imageCaptioner.batch"]';
const TOAST_MESSAGE = '.notifications-toasts .notification-list-item-message';

/** What the workbench shows at one moment of a batch. */
interface Seen {
  readonly toasts: string[];
  readonly toastButtons: string[];
  readonly status: string;
  /** A determinate progress bar shows in the side bar (the Dataset view's). */
  readonly viewProgress: boolean;
}

describe('batch progress in the workbench', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer;
  const restore: Array<() => void> = [];
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    // Latency and one request at a time: a batch of six lasts a few seconds, long enough to watch.
    server = await startOpenAiFakeServer({ latencyMs: 700, replyText: (r) => `Progress caption ${r.number}.` });
    await config().update('models', [
      { id: 'test/progress', label: 'Progress VLM', provider: 'openai-compatible', baseUrl: server.url, model: 'progress-vlm', key: 'none', capabilities: { stream: false }, rateLimit: { concurrency: 1 } },
    ], vscode.ConfigurationTarget.Global);
    await config().update('batch.mode', 'append', vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/progress'), 'the user model in the registry');
    await api.captioning.registry.select(api.captioning.registry.find('test/progress')!);
    for (const img of images()) keepOriginal(api.dataset.index!.captionPath(img));
    await vscode.commands.executeCommand('imageCaptioner.dataset.focus');
  });

  after(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await closeAllEditors();
    for (const undo of restore.reverse()) undo();
    for (const key of ['models', 'batch.mode']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    if (api) {
      // The next suites see the sample as it was: the captions this suite created are gone from the index too.
      await api.dataset.refresh();
      await activateExtension();
    }
  });

  const images = (): ImageEntry[] => {
    const found = IMAGES.map((name) => api.dataset.index!.images().find((img) => img.name === name && !img.collision));
    assert.ok(found.every(Boolean), `the sample dataset has ${IMAGES.join(', ')}`);
    return found as ImageEntry[];
  };

  const keepOriginal = (file: string): void => {
    const original = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    restore.push(() => (original ? fs.writeFileSync(file, original) : fs.rmSync(file, { force: true })));
  };

  /** Starts Caption Selected on the six images; resolves to its report when the batch ends. */
  const startBatch = (): Thenable<BatchReport | undefined> => {
    const uris = images().map((img) => vscode.Uri.file(api.dataset.index!.imagePath(img)));
    return vscode.commands.executeCommand<BatchReport | undefined>('imageCaptioner.captionSelected', uris[0], uris);
  };

  it('shows count, rate and time left in a toast with Cancel, in the status bar and the Dataset view, and keeps the outcome in the status bar, whose click opens the log', async () => {
    const page = await getWorkbenchPage();
    await vscode.commands.executeCommand('notifications.clearAll');
    let ended = false;
    const running = startBatch().then((report) => ((ended = true), report));
    const seen: Seen[] = [];
    let shot = false;
    while (!ended) {
      const now = await look(page);
      seen.push(now);
      if (!shot && /Captioning \d+ of 6 · /.test(now.status)) {
        shot = true;
        await screenshot('batch-progress-running');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const report = await running;
    assert.equal(report?.summary.written, 6, 'the batch wrote all six captions');
    const progressLine = /^Captioning selected images \(6 images, [a-z ]+\) with Progress VLM · 1 at a time: [1-5] of 6 · \d+\.\d\/s · about \d+ s left$/;
    const toasts = seen.flatMap((s) => s.toasts);
    assert.ok(toasts.some((t) => progressLine.test(t)), `a toast showed count, rate and time left; toasts seen: ${JSON.stringify([...new Set(toasts)].slice(0, 8))}`);
    assert.ok(seen.some((s) => s.toasts.some((t) => progressLine.test(t)) && s.toastButtons.includes('Cancel')), 'the progress toast has a Cancel button');
    const statuses = [...new Set(seen.map((s) => s.status))];
    assert.ok(statuses.some((s) => /^Captioning [1-5] of 6 · \d+\.\d\/s · about \d+ s left$/.test(s)), `the status bar showed count, rate and time left: ${JSON.stringify(statuses)}`);
    assert.ok(seen.some((s) => s.viewProgress), 'the Dataset view showed a progress bar');
    note(`status bar during the batch: ${statuses.join(' | ')}`);

    const finished = 'Captioning finished: 6 written, 0 skipped, 0 failed';
    await page.locator(TOAST_MESSAGE, { hasText: `${finished}.` }).first().waitFor({ timeout: 10_000 });
    await waitForStatus(page, finished);
    await page.waitForTimeout(500); // the toast fades in
    await screenshot('batch-progress-finished');
    // The finish toast fades after seconds; the status bar keeps the outcome.
    await vscode.commands.executeCommand('notifications.clearAll');
    await waitFor(async () => (await page.locator(TOAST_MESSAGE).count()) === 0, 'the toasts cleared');
    assert.equal(await statusText(page), finished);

    // A click on it opens the log, where the batch's summary is.
    await page.locator(STATUS_ITEM).click();
    const logLines = page.locator('[id="workbench.parts.panel"] .view-lines', { hasText: 'with Progress VLM finished in' });
    await logLines.first().waitFor({ timeout: 10_000 });
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('stops the batch when Cancel is clicked in the progress toast, and says so in the status bar', async () => {
    const page = await getWorkbenchPage();
    await vscode.commands.executeCommand('notifications.clearAll');
    const before = server.requests.length;
    const running = startBatch();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Captioning selected images \(6 images, [a-z ]+\) with Progress VLM/ });
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click({ timeout: 15_000 });
    const report = await running;
    assert.equal(report?.summary.cancelled, true, 'the batch was cancelled');
    assert.ok(report!.summary.pending > 0, 'images were left for Resume');
    assert.ok(server.requests.length - before < 6, 'not every image was sent');
    await waitForStatus(page, /^Captioning cancelled: \d written, 0 skipped, 0 failed, \d left$/);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('shows the batch in the status bar with Do Not Disturb on, where VS Code keeps the progress notification out of sight', async () => {
    const page = await getWorkbenchPage();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.toggleDoNotDisturbMode');
    try {
      let ended = false;
      const running = startBatch().then((report) => ((ended = true), report));
      const seen: Seen[] = [];
      while (!ended) {
        seen.push(await look(page));
        await new Promise((r) => setTimeout(r, 100));
      }
      const report = await running;
      assert.equal(report?.summary.written, 6);
      assert.ok(seen.some((s) => /^Captioning [1-5] of 6 · /.test(s.status)), `the status bar showed the count: ${JSON.stringify([...new Set(seen.map((s) => s.status))])}`);
      assert.deepEqual(seen.flatMap((s) => s.toasts).filter((t) => t.includes('Progress VLM')), [], 'no progress toast while Do Not Disturb is on');
    } finally {
      await vscode.commands.executeCommand('notifications.toggleDoNotDisturbMode');
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });
});

/** What the workbench shows now: toast texts and buttons, the status bar item's text, the side bar's progress bar. */
async function look(page: Page): Promise<Seen> {
  const [toasts, toastButtons, status, viewProgress] = await Promise.all([
    page.locator(TOAST_MESSAGE).allTextContents(),
    page.locator('.notifications-toasts .notification-list-item-buttons-container .monaco-button').allTextContents(),
    statusText(page),
    page.locator('[id="workbench.parts.sidebar"] .monaco-progress-container.active.discrete').count().then((n) => n > 0),
  ]);
  return { toasts, toastButtons, status, viewProgress };
}

/** Waits for the status bar item to say `expected` (its text reaches the workbench a moment after the command's result). */
async function waitForStatus(page: Page, expected: string | RegExp): Promise<void> {
  let last = '';
  const matches = (text: string): boolean => (typeof expected === 'string' ? text === expected : expected.test(text));
  await waitFor(async () => matches((last = await statusText(page))), `the status bar to say ${String(expected)}`, 5000).catch((err: Error) => {
    throw new Error(`${err.message}; it says "${last}"`);
  });
}

/** The batch status bar item's text ('' when it is hidden). */
async function statusText(page: Page): Promise<string> {
  const item = page.locator(STATUS_ITEM);
  if ((await item.count()) === 0 || !(await item.isVisible())) return '';
  return ((await item.textContent()) ?? '').trim();
}
