// 100,000 images in 1,000 folders: opening the dataset must not freeze the extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, openCaptionEditor, closeAllEditors, waitFor, activeCaptionEditorPath } from './extensionApi';
import { hasBrowser } from './browser';
import { note } from './index';

const FOLDERS = 1000;
const PER_FOLDER = 100;

/** Samples every 2 ms: a one-second open gives a few hundred samples. */
const SAMPLE_MS = 2;

/** A turn at least this long is one a user could feel (a keystroke answered late). */
const LONG_TURN_MS = 50;

/**
 * Delays of a 2 ms timer while `work` runs (how long the extension host could not answer): the
 * largest, the 99th percentile, and how many were long. With a few hundred samples p99 is the
 * second-largest sample, so one stray pause (a GC, VS Code's own work) decided it in one CI run:
 * the test counts long turns instead, allowing 1% of them or two, whichever is more. Work done in
 * long slices gives one per slice (a one-second scan in 50 ms slices: 20), and one long freeze fails `max`.
 */
async function maxEventLoopLag(work: () => Promise<void>): Promise<{ max: number; p99: number; samples: number; long: number }> {
  const lags: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(now - last - SAMPLE_MS);
    last = now;
  }, SAMPLE_MS);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  lags.sort((a, b) => a - b);
  return { max: lags[lags.length - 1] ?? 0, p99: lags[Math.floor(lags.length * 0.99)] ?? 0, samples: lags.length, long: lags.filter((lag) => lag >= LONG_TURN_MS).length };
}

describe('a dataset of 100,000 images', function () {
  this.timeout(240_000);
  let api: ImageCaptionerApi;
  let big: string;
  let original: string;

  before(async () => {
    api = await activateExtension();
    original = api.dataset.rootPath!;
    big = fs.mkdtempSync(path.join(os.tmpdir(), 'image-captioner-100k-'));
    const tiny = fs.readFileSync(api.dataset.index!.imagePath(api.dataset.index!.images().find((i) => i.name.endsWith('.png'))!));
    for (let f = 0; f < FOLDERS; f++) {
      const dir = path.join(big, `part-${String(Math.floor(f / 40)).padStart(2, '0')}`, `shard-${String(f).padStart(4, '0')}`);
      fs.mkdirSync(dir, { recursive: true });
      for (let i = 0; i < PER_FOLDER; i++) {
        const stem = `img_${String(f * PER_FOLDER + i).padStart(6, '0')}`;
        fs.writeFileSync(path.join(dir, `${stem}.png`), i === 0 ? tiny : '');
        if (i % 3 === 0) fs.writeFileSync(path.join(dir, `${stem}.txt`), `caption number ${f * PER_FOLDER + i}`);
      }
    }
  });

  after(async () => {
    await closeAllEditors();
    if (api) await api.dataset.open(original);
    fs.rmSync(big, { recursive: true, force: true });
  });

  it('opens without freezing the extension host, and counts every caption', async () => {
    const lag = await maxEventLoopLag(async () => {
      await vscode.commands.executeCommand('imageCaptioner.openDatasetFolder', vscode.Uri.file(big));
      await waitFor(() => api.dataset.index?.rootPath === big && api.dataset.index.images().every((i) => i.captionState !== 'unknown'), 'all captions read', 120_000);
    });
    note(`event-loop lag while opening 100,000 images: max ${lag.max.toFixed(0)} ms, p99 ${lag.p99.toFixed(0)} ms, ${lag.long} turns over ${LONG_TURN_MS} ms (${lag.samples} samples)`);
    const counts = api.dataset.index!.counts();
    assert.equal(counts.images, FOLDERS * PER_FOLDER);
    assert.equal(counts.captioned, Math.ceil(PER_FOLDER / 3) * FOLDERS);
    assert.equal(api.treeView.title, `${(100_000).toLocaleString('en-US')} images, ${(34_000).toLocaleString('en-US')} captioned`);
    assert.ok(lag.long <= Math.max(2, Math.floor(lag.samples * 0.01)), `${lag.long} event-loop turns of ${LONG_TURN_MS} ms or more in ${lag.samples} samples (p99 ${lag.p99.toFixed(0)} ms)`);
    assert.ok(lag.max < 500, `max event-loop lag ${lag.max.toFixed(0)} ms`);
  });

  it('moves from image to image in the editor at the end of the dataset', async function () {
    if (!hasBrowser()) this.skip();
    const index = api.dataset.index!;
    const last = index.at(index.size - 2)!;
    await openCaptionEditor(api, last);
    const started = performance.now();
    await vscode.commands.executeCommand('imageCaptioner.nextImage');
    await waitFor(() => activeCaptionEditorPath() === index.imagePath(index.at(index.size - 1)!), 'last image');
    await vscode.commands.executeCommand('imageCaptioner.nextImage');
    await waitFor(() => activeCaptionEditorPath() === index.imagePath(index.at(0)!), 'wrapped to the first image');
    note(`two steps on 100,000 images: ${(performance.now() - started).toFixed(0)} ms`);
  });
});
