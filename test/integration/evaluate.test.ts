// "Evaluate Models…" in a real VS Code: two fake OpenAI-compatible servers answer with the shared
// caption-metrics fixture's `good` and `poor` candidates for 120 images whose `.ref.txt` files hold
// the fixture's references, so each model's corpus BLEU and CIDEr-D in the saved report must be the
// fixture's reference values; the candidates stay in the workspace storage and no caption file changes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { EvaluationResult } from '../../src/services/evaluationService';
import type { EvaluationImage, EvaluationReport } from '../../src/core/evaluation/evaluationReport';
import { listJournals } from '../../src/core/captioning/batchJournal';
import { readReport, writeReport } from '../../src/core/evaluation/reportFile';
import { writeTinyModels } from '../fixtures/localModels/tinyModels';
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
  /** Colour captions instead of the fixture's (the CLIP test: the tiny CLIP model only knows colours). */
  let colourCaptions = false;
  const candidate = (model: 'good' | 'poor') => (request: LoggedRequest): string =>
    colourCaptions ? (model === 'good' ? 'a blue ball' : 'a red ball') : fixture.images.find((i) => i.id === imageOf(request))!.candidates[model];

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

  it('Resume asks each model only for the images it has no caption for, and saves the finished report under the same id', async () => {
    const finished = (await vscode.commands.executeCommand<EvaluationResult | undefined>('imageCaptioner.evaluate.models', { sampleSize: 10, seed: 11, modelIds: ['test/eval-good', 'test/eval-poor'] }))!;
    // the state a Cancel leaves: the good model gave 6 of 10 (one failed), the poor one never ran
    const owed = finished.report.images.slice(0, 4).map((image) => image.path);
    const images = finished.report.images.map((image, i): EvaluationImage => ({
      ...image,
      captions: i === 0 ? { 'test/eval-good': { error: 'HTTP 500 (3 attempts)' } } : i < 4 ? {} : { 'test/eval-good': image.captions['test/eval-good'] },
      scores: {},
    }));
    const cancelled: EvaluationReport = { ...finished.report, cancelled: true, images };
    await writeReport(path.dirname(finished.file), cancelled);
    const [goodBefore, poorBefore] = [good.requests.length, poor.requests.length];

    const resumed = await vscode.commands.executeCommand<EvaluationResult | undefined>('imageCaptioner.evaluate.resume', { file: finished.file });
    assert.ok(resumed, 'the resume returned a report');
    const sentToGood = good.requests.slice(goodBefore).map(imageOf).sort();
    assert.deepEqual(sentToGood, owed.map((p) => path.posix.basename(p, '.png')).sort(), 'the good model was asked only for the 4 images it had no caption for');
    assert.equal(poor.requests.length - poorBefore, 10, 'the poor model, which never ran, captions the whole sample');
    assert.equal(resumed.file, finished.file);
    assert.equal(resumed.report.id, finished.report.id);
    assert.equal(resumed.report.cancelled, false);
    assert.deepEqual(resumed.report.images.map((i) => i.path), finished.report.images.map((i) => i.path), 'the same sample, in order');
    for (const [n, summary] of resumed.report.models.entries()) {
      assert.equal(summary.scored, 10);
      assert.equal(summary.failed, 0);
      assert.deepEqual(summary.cocoBleu, finished.report.models[n].cocoBleu, `${summary.label}: the numbers of an uninterrupted run`);
    }
    const kept = resumed.report.images[5].captions['test/eval-good'];
    assert.deepEqual(kept, finished.report.images[5].captions['test/eval-good'], 'a kept caption keeps its request time');
    assert.deepEqual(await readReport(resumed.file), JSON.parse(JSON.stringify(resumed.report)));

    const again = good.requests.length;
    assert.equal(await vscode.commands.executeCommand('imageCaptioner.evaluate.resume', { file: finished.file }), undefined, 'a finished evaluation has nothing to resume');
    assert.equal(good.requests.length, again);

    // a cancelled report handed in from outside the evaluations folder is refused: nothing is sent, nothing written beside it
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-eval-outside-'));
    try {
      await writeReport(outside, cancelled);
      assert.equal(await vscode.commands.executeCommand('imageCaptioner.evaluate.resume', { file: path.join(outside, 'report.json') }), undefined);
      assert.equal(good.requests.length, again, 'no request for a report outside the evaluations folder');
      assert.deepEqual(fs.readdirSync(outside), ['report.json'], 'no candidate or journal written beside it');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('with a local CLIP model, each model\'s captions get CLIP scores in report.json, image by image', async () => {
    const modelsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-eval-clip-'));
    const local = vscode.workspace.getConfiguration('imageCaptioner.local');
    const config = vscode.workspace.getConfiguration('imageCaptioner');
    try {
      const models = await writeTinyModels(modelsRoot);
      await local.update('clipModel', models.clip, vscode.ConfigurationTarget.Global);
      await local.update('allowDownloads', false, vscode.ConfigurationTarget.Global);
      await config.update('evaluate.clipScore', true, vscode.ConfigurationTarget.Global);
      colourCaptions = true; // the images are slate blue (#406080): "blue" fits them, "red" does not
      const result = (await vscode.commands.executeCommand<EvaluationResult | undefined>('imageCaptioner.evaluate.models', { sampleSize: 6, seed: 5, modelIds: ['test/eval-good', 'test/eval-poor'] }))!;
      const saved = await readReport(result.file);
      assert.equal(saved.clipUnavailable, undefined, saved.clipUnavailable);
      assert.equal(saved.clipModel, models.clip);
      assert.equal(saved.images.length, 6);
      for (const id of ['test/eval-good', 'test/eval-poor']) {
        const scores = saved.images.map((image) => image.scores[id]?.clipScore);
        note(`CLIP scores of ${id}: ${scores.map((v) => v?.toFixed(1)).join(', ')}`);
        for (const score of scores) assert.ok(score !== undefined && score >= 0 && score <= 100, `${id}: a CLIP score per image (${score})`);
        const summary = saved.models.find((m) => m.modelId === id)!;
        assert.ok(Math.abs(summary.clipScore! - scores.reduce((a, b) => a! + b!, 0)! / scores.length) < 1e-9, `${id}: the mean of its images`);
      }
      for (const image of saved.images) {
        const [blue, red] = [image.scores['test/eval-good'].clipScore!, image.scores['test/eval-poor'].clipScore!];
        assert.ok(blue > red + 10, `${image.path}: "a blue ball" (${blue}) fits a slate blue image better than "a red ball" (${red})`);
      }
    } finally {
      colourCaptions = false;
      await local.update('clipModel', undefined, vscode.ConfigurationTarget.Global);
      await local.update('allowDownloads', undefined, vscode.ConfigurationTarget.Global);
      await config.update('evaluate.clipScore', false, vscode.ConfigurationTarget.Global);
      await api.localModels.client.stop();
      fs.rmSync(modelsRoot, { recursive: true, force: true });
    }
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

    // the notification's Resume finishes it: the slow model is asked only for the images it has no caption for
    const owed = report.images.filter((image) => image.captions['test/eval-slow']?.text === undefined).map((image) => path.posix.basename(image.path, '.png')).sort();
    const slowBefore = slow.requests.length;
    const journals = path.join(path.dirname(file), 'journal');
    assert.ok((await listJournals(journals)).jobs.length >= 1, 'the cancelled run left its journal');
    const done = /cancelled; the report keeps what was captioned/;
    try {
      await page.locator('.notifications-toasts .notification-toast', { hasText: done }).locator('.monaco-button', { hasText: 'Resume' }).click({ timeout: 15_000 });
    } catch {
      await vscode.commands.executeCommand('notifications.showList');
      await page.locator('.notifications-center .notification-list-item', { hasText: done }).locator('.monaco-button', { hasText: 'Resume' }).click({ timeout: 15_000 });
      await vscode.commands.executeCommand('notifications.hideList');
    }
    await waitFor(async () => !(await readReport(file)).cancelled, 'the resumed evaluation saved its finished report', 120_000);
    assert.deepEqual(slow.requests.slice(slowBefore).map(imageOf).sort(), owed, 'the slow model was asked only for what it owed');
    assert.equal(poor.requests.length - poorBefore, 20, 'the second model captions the whole sample');
    const finished = await readReport(file);
    assert.equal(finished.id, report.id);
    assert.deepEqual(finished.models.map((m) => [m.scored, m.failed]), [[20, 0], [20, 0]]);
    assert.deepEqual((await listJournals(journals)).jobs, [], 'no unfinished journal is left behind');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
