// "Evaluate Models…" in a real VS Code: two fake OpenAI-compatible servers answer with the shared
// caption-metrics fixture's `good` and `poor` candidates for 120 images whose `.ref.txt` files hold
// the fixture's references, so each model's corpus BLEU and CIDEr-D in the saved report must be the
// fixture's reference values; the candidates stay in the workspace storage and no caption file changes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { EvaluationResult } from '../../src/services/evaluationService';
import { readReport } from '../../src/core/evaluation/reportFile';
import { startOpenAiFakeServer, OpenAiFakeServer, LoggedRequest } from '../fixtures/fakeServers/openAiFakeServer';
import { readFixture } from '../unit/metrics/captionMetricsFixture';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser } from './browser';
import { note } from './index';

const FOLDER = 'evaluate-models-test';

function close(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 5e-5, `${what}: ${actual} vs ${expected}`);
}

describe('Evaluate Models', function () {
  this.timeout(180_000);
  const fixture = readFixture();
  let api: ImageCaptionerApi;
  let root: string;
  let good: OpenAiFakeServer;
  let poor: OpenAiFakeServer;
  let slow: OpenAiFakeServer;
  const captionBytes = new Map<string, Buffer>();

  /** The image a request is about: the custom prompt names it. */
  const imageOf = (request: LoggedRequest): string => {
    const text = JSON.stringify(request.body.messages);
    return /<<(img\d+)\.png>>/.exec(text)![1];
  };
  const candidate = (model: 'good' | 'poor') => (request: LoggedRequest): string => fixture.images.find((i) => i.id === imageOf(request))!.candidates[model];

  before(async () => {
    api = await activateExtension();
    root = path.join(api.dataset.rootPath!, FOLDER);
    fs.mkdirSync(root, { recursive: true });
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#406080' } }).png().toBuffer();
    for (const [i, image] of fixture.images.entries()) {
      fs.writeFileSync(path.join(root, `${image.id}.png`), png);
      fs.writeFileSync(path.join(root, `${image.id}.ref.txt`), `${image.references.join('\n')}\n`);
      // live captions on some images: the run must never touch them
      if (i % 3 === 0) fs.writeFileSync(path.join(root, `${image.id}.txt`), `the live caption of ${image.id}`);
    }
    fs.writeFileSync(path.join(root, 'no-references.png'), png);
    for (const name of fs.readdirSync(api.dataset.rootPath!, { recursive: true }) as string[]) {
      if (name.endsWith('.txt')) captionBytes.set(name, fs.readFileSync(path.join(api.dataset.rootPath!, name)));
    }
    await api.dataset.refresh();
    await waitFor(() => api.dataset.index!.findImage(path.join(root, 'img119.png')), 'the test images in the index');
    good = await startOpenAiFakeServer({ replyText: candidate('good') });
    poor = await startOpenAiFakeServer({ replyText: candidate('poor') });
    slow = await startOpenAiFakeServer({ latencyMs: 1500, replyText: candidate('good') });
    const config = vscode.workspace.getConfiguration('imageCaptioner');
    await config.update('models', [
      { id: 'test/eval-good', label: 'Good VLM', provider: 'openai-compatible', baseUrl: good.url, model: 'good-vlm', key: 'none', rateLimit: { concurrency: 8 }, capabilities: { stream: false } },
      { id: 'test/eval-poor', label: 'Poor VLM', provider: 'openai-compatible', baseUrl: poor.url, model: 'poor-vlm', key: 'none', rateLimit: { concurrency: 8 }, capabilities: { stream: false } },
      { id: 'test/eval-slow', label: 'Slow VLM', provider: 'openai-compatible', baseUrl: slow.url, model: 'slow-vlm', key: 'none', rateLimit: { concurrency: 1 }, capabilities: { stream: false } },
    ], vscode.ConfigurationTarget.Global);
    await config.update('generation.length', 'custom', vscode.ConfigurationTarget.Global);
    await config.update('generation.customPrompt', 'Caption the image <<{name}>>.', vscode.ConfigurationTarget.Global);
    await config.update('evaluate.clipScore', false, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/eval-poor'), 'the fake models in the registry');
  });

  after(async () => {
    api?.evaluationReports.panel?.dispose();
    await closeAllEditors();
    const config = vscode.workspace.getConfiguration('imageCaptioner');
    for (const key of ['models', 'generation.length', 'generation.customPrompt', 'evaluate.clipScore']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await good?.close();
    await poor?.close();
    await slow?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    await api?.dataset.refresh();
  });

  it('captions the sample with both models and reports the fixture\'s BLEU and CIDEr-D, candidates in the workspace storage only', async () => {
    const started = Date.now();
    const result = await vscode.commands.executeCommand<EvaluationResult | undefined>('imageCaptioner.evaluate.models', {
      references: 'sidecar', sampleSize: 500, seed: 1, modelIds: ['test/eval-good', 'test/eval-poor'],
    });
    assert.ok(result, 'the command returned a report');
    note(`evaluation of 2 x 120 images took ${Date.now() - started} ms`);
    const { report, file } = result;
    assert.equal(good.requests.length, 120);
    assert.equal(poor.requests.length, 120);
    assert.equal(report.cancelled, false);
    assert.equal(report.images.length, 120);
    assert.deepEqual(report.referenceCounts.unreadable, []);
    assert.equal(report.referenceCounts.imagesWithReferences, 120);
    assert.ok(report.referenceCounts.imagesWithoutReferences >= 1, 'no-references.png and the sample dataset\'s images are counted');
    assert.deepEqual(report.references, { kind: 'sidecar', extension: '.ref.txt' });
    assert.match(report.clipUnavailable ?? '', /turned off/);
    for (const [summary, name] of [[report.models[0], 'good'], [report.models[1], 'poor']] as const) {
      const expected = fixture.expected[name];
      assert.equal(summary.scored, 120);
      assert.equal(summary.failed, 0);
      expected.coco_bleu_1_4.forEach((v, n) => close(summary.cocoBleu?.[n], v, `${name} COCO BLEU-${n + 1}`));
      expected.nltk_corpus_bleu_1_4.forEach((v, n) => close(summary.nltkCorpusBleu?.[n], v, `${name} NLTK BLEU-${n + 1}`));
      close(summary.ciderD, expected.cider_d, `${name} CIDEr-D`);
      assert.ok(summary.msPerImage !== undefined && summary.msPerImage >= 0, 'a median request time');
      assert.equal(summary.clipScore, undefined, 'no CLIP score, never 0');
    }
    const img7 = report.images.find((i) => i.path === `${FOLDER}/img007.png`)!;
    assert.equal(img7.captions['test/eval-good'].text, fixture.images[7].candidates.good);
    assert.deepEqual(img7.references, fixture.images[7].references);

    // the report and the candidates live in the workspace storage, never in the dataset
    const storage = path.dirname(path.dirname(path.dirname(file)));
    assert.ok(!file.startsWith(api.dataset.rootPath!), `${file} is outside the dataset`);
    assert.equal(path.basename(path.dirname(path.dirname(file))), 'evaluations');
    assert.equal(fs.readFileSync(path.join(path.dirname(file), 'captions', '1-test_eval-good', FOLDER, 'img007.txt'), 'utf8'), fixture.images[7].candidates.good);
    assert.deepEqual(await readReport(file), JSON.parse(JSON.stringify(report)));
    note(`report in ${path.relative(storage, file)}`);
    for (const [name, bytes] of captionBytes) assert.ok(fs.readFileSync(path.join(api.dataset.rootPath!, name)).equals(bytes), `${name} unchanged`);
    const textFiles = (fs.readdirSync(api.dataset.rootPath!, { recursive: true }) as string[]).filter((n) => n.endsWith('.txt'));
    assert.deepEqual(textFiles.sort(), [...captionBytes.keys()].sort(), 'no caption file was created in the dataset');
    // the report opens (as JSON until the panel lands)
    await waitFor(() => api.evaluationReports.panel?.shown?.file === file, 'the report opened in the report panel');
  });

  it('the same seed draws the same sample: two runs of 10 images send the same images', async () => {
    const run = async (): Promise<string[]> => {
      const before = good.requests.length;
      const result = await vscode.commands.executeCommand<EvaluationResult | undefined>('imageCaptioner.evaluate.models', { sampleSize: 10, seed: 7, modelIds: ['test/eval-good', 'test/eval-poor'] });
      assert.equal(result!.report.images.length, 10);
      return good.requests.slice(before).map(imageOf).sort();
    };
    const first = await run();
    assert.equal(first.length, 10);
    assert.deepEqual(await run(), first);
  });

  it('Cancel in the progress toast stops the run and still saves a report that says so, with what was captioned', async function () {
    if (!hasBrowser()) this.skip();
    const page = await getWorkbenchPage();
    // the report panel the runs above opened is closed, so the progress toast shows over the editor area
    api.evaluationReports.panel?.dispose();
    await closeAllEditors();
    await vscode.commands.executeCommand('notifications.clearAll');
    const poorBefore = poor.requests.length;
    const running = vscode.commands.executeCommand<EvaluationResult | undefined>('imageCaptioner.evaluate.models', { sampleSize: 20, seed: 3, modelIds: ['test/eval-slow', 'test/eval-poor'] });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Evaluating Slow VLM \(1 of 2\)/ });
    await waitFor(() => slow.requests.length >= 2, 'the slow model answered once', 20_000);
    try {
      await toast.locator('.monaco-button', { hasText: 'Cancel' }).click({ timeout: 15_000 });
    } catch {
      // VS Code 1.99 sometimes keeps the progress in the notification center instead of a toast: Cancel is there too
      await vscode.commands.executeCommand('notifications.showList');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: /Evaluating Slow VLM \(1 of 2\)/ });
      await item.locator('.monaco-button', { hasText: 'Cancel' }).click({ timeout: 15_000 });
      await vscode.commands.executeCommand('notifications.hideList');
    }
    const result = await running;
    assert.ok(result, 'a cancelled run still returns its report');
    const { report, file } = result;
    assert.equal(report.cancelled, true);
    assert.deepEqual(await readReport(file), JSON.parse(JSON.stringify(report)), 'and saves it');
    const [slowSummary, poorSummary] = report.models;
    assert.ok(slowSummary.scored >= 1 && slowSummary.scored < 20, `some images captioned before the cancel (${slowSummary.scored})`);
    assert.equal(slowSummary.failed, 20 - slowSummary.scored, 'the images not run count as failed');
    assert.equal(poor.requests.length, poorBefore, 'the second model never ran');
    assert.equal(poorSummary.scored, 0);
    assert.equal(poorSummary.cocoBleu, undefined, 'no metric for a model that never ran, not 0');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
