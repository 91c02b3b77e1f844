// The evaluation report panel (issue 13) in a real VS Code, driven through the browser: a report scored
// from the shared caption-metrics fixture opened with "Open Last Evaluation Report", the summary showing the
// reference implementations' BLEU-4 and CIDEr-D, sorting, "Use this caption" writing the caption file (and
// refusing a caption with unsaved edits), the CSV export through the save dialog, and a restored panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FrameLocator } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import type { EvaluationReport } from '../../src/core/evaluation/evaluationReport';
import { reportImagesCsv } from '../../src/core/evaluation/reportCsv';
import { writeReport } from '../../src/core/evaluation/reportFile';
import { EVALUATION_VIEW_TYPE } from '../../src/webviews/evaluationViewType';
import { activateExtension, captionEditorTabs, closeAllEditors, textDocumentInStepWithDisk, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';
import { fixtureReport } from '../unit/evaluation/panelReports';
import { readFixture } from '../unit/metrics/captionMetricsFixture';

/** Fixture images 0..2 are these images of the sample dataset; the rest are named but not in it. */
const REAL = ['landscapes/meadow.jpg', 'sunset.jpg', 'checkerboard.png'];
/** The image whose caption "Use this caption" writes (fixture image 0), and the one left dirty in an editor. */
const USED = REAL[0];
const DIRTY = REAL[1];

async function reportFrame(): Promise<FrameLocator> {
  return webviewFrame(await getWorkbenchPage(), { title: 'Evaluation Report', selector: '#summary table' });
}

/** Types `target` into VS Code's save dialog titled `title` (the harness shows the simple dialog, a quick input) and accepts it. */
async function answerSaveDialog(title: string, target: string): Promise<void> {
  const page = await getWorkbenchPage();
  const widget = page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: title }) });
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  const input = widget.locator('input.input');
  // The dialog sets its input and list as the folder listing arrives: type once it has a list, again until the path holds.
  await widget.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
  await waitFor(async () => {
    await input.fill(target);
    await new Promise((r) => setTimeout(r, 300));
    return (await input.inputValue()) === target;
  }, `${target} typed into the save dialog`);
  await input.press('Enter');
}

async function rowPaths(frame: FrameLocator): Promise<string[]> {
  return frame.locator('#image-rows .image-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path') ?? ''));
}

describe('evaluation report panel', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let report: EvaluationReport;
  let reportFile: string;
  let frame: FrameLocator;
  const originals = new Map<string, Buffer>();
  const expected = readFixture().expected;
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-eval-export-'));

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    await closeAllEditors();
    const index = api.dataset.index!;
    for (const rel of [USED, DIRTY]) {
      const image = index.findImage(path.join(index.rootPath, ...rel.split('/')));
      assert.ok(image, `${rel} is in the sample dataset`);
      const captionFile = index.captionPath(image);
      originals.set(captionFile, fs.readFileSync(captionFile));
    }
    // created now: newer than any report a suite before this one saved, so it is the one "Open Last" opens
    report = { ...fixtureReport(index.rootPath, (i, id) => REAL[i] ?? `zz-not-in-dataset/${id}.jpg`), createdAt: new Date().toISOString() };
    reportFile = path.join(api.evaluationsFolder, report.id, 'report.json');
  });

  after(async () => {
    if (!api) return;
    api.evaluationReports.panel?.dispose();
    await closeAllEditors();
    for (const [file, bytes] of originals) {
      fs.writeFileSync(file, bytes);
      await textDocumentInStepWithDisk(file);
    }
    fs.rmSync(path.join(api.evaluationsFolder, report.id), { recursive: true, force: true });
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('with no report in the workspace storage, opens no panel', async () => {
    api.evaluationReports.panel?.dispose(); // a panel an earlier suite left open
    // reports other suites saved are set aside for this test only
    const folder = api.evaluationsFolder;
    const aside = `${folder}.aside`;
    if (fs.existsSync(folder)) fs.renameSync(folder, aside);
    try {
      const opened = await vscode.commands.executeCommand('imageCaptioner.evaluate.openReport');
      assert.equal(opened, undefined);
      assert.equal(api.evaluationReports.panel, undefined);
    } finally {
      if (fs.existsSync(aside)) fs.renameSync(aside, folder);
    }
  });

  it("opens the newest report and shows each model's BLEU-4 and CIDEr-D as pycocoevalcap computes them on the fixture", async () => {
    fs.mkdirSync(path.dirname(reportFile), { recursive: true });
    fs.writeFileSync(reportFile, JSON.stringify(report));
    await vscode.commands.executeCommand('imageCaptioner.evaluate.openReport');
    await waitFor(() => api.evaluationReports.panel?.shown?.file === reportFile, 'the panel shows the report file');
    frame = await reportFrame();
    for (const model of ['good', 'poor']) {
      const row = frame.locator(`#summary tr[data-model="${model}"]`);
      assert.equal(await row.locator('td[data-metric="cocoBleu4"]').textContent(), expected[model].coco_bleu_1_4[3].toFixed(4), `${model}: COCO BLEU-4`);
      assert.equal(await row.locator('td[data-metric="ciderD"]').textContent(), expected[model].cider_d.toFixed(4), `${model}: CIDEr-D`);
      assert.equal(await row.locator('td[data-metric="nltkBleu4"]').textContent(), expected[model].nltk_corpus_bleu_1_4[3].toFixed(4), `${model}: NLTK BLEU-4`);
      assert.equal(await row.locator('td[data-metric="clip"]').textContent(), 'no CLIP model');
    }
    await screenshot('evaluation-report');
    const traces = await waitFor(async () => {
      const names = await frame.locator('#chart').evaluate((gd) => ((gd as unknown as { data?: Array<{ type?: string; name?: string }> }).data ?? []).map((t) => `${t.type}:${t.name}`)).catch(() => []);
      return names.length ? names : undefined;
    }, `the chart drawn (status: ${await frame.locator('#status').textContent()})`);
    assert.deepEqual(traces, ['bar:Fixture good', 'bar:Fixture poor'], 'one bar trace per model');
  });

  it("sorting by a model's CIDEr-D orders the images by the fixture's per-image CIDEr-D", async () => {
    const byPath = await rowPaths(frame);
    assert.deepEqual(byPath.slice(0, 3), ['checkerboard.png', 'landscapes/meadow.jpg', 'sunset.jpg'], 'path order first');
    await frame.locator('#image-sort').selectOption({ label: 'Fixture poor: CIDEr-D' });
    await frame.locator('#image-sort-descending').check();
    const { images } = readFixture();
    const perImage = expected.poor.cider_d_per_image;
    const valueOfPath = new Map(report.images.map((image, i) => [image.path, perImage[images[i].id]]));
    const sorted = await waitFor(async () => {
      const now = await rowPaths(frame);
      return now[0] !== byPath[0] ? now : undefined;
    }, 'the rows reordered');
    const shown = sorted.map((p) => valueOfPath.get(p)!);
    const want = Object.values(perImage).sort((a, b) => b - a).slice(0, shown.length);
    assert.deepEqual(shown.map((v) => v.toFixed(4)), want.map((v) => v.toFixed(4)), "the page holds the highest CIDEr-D images, highest first");
    assert.notDeepEqual(sorted, byPath);
  });

  it("'Use this caption' writes the model's caption to the image's caption file", async () => {
    await frame.locator('#image-sort').selectOption({ value: 'path' });
    await frame.locator('#image-sort-descending').uncheck();
    const captionFile = [...originals.keys()][0];
    const cell = frame.locator(`#image-rows .image-row[data-path="${USED}"] .model-cell[data-model="poor"]`);
    await cell.locator('.use-caption').click();
    const text = report.images[0].captions.poor.text!;
    await waitFor(() => fs.readFileSync(captionFile).equals(Buffer.from(text, 'utf8')), `${captionFile} holds the poor model's caption`);
    await waitFor(async () => (await cell.locator('.use-note').textContent()) === 'Written to the caption file.', 'the panel says it was written');
  });

  it("refuses to overwrite a caption with unsaved edits in an editor, and says so", async () => {
    const captionFile = [...originals.keys()][1];
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(captionFile), { viewColumn: vscode.ViewColumn.Beside, preview: false });
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'unsaved '));
    assert.ok(editor.document.isDirty);
    const cell = frame.locator(`#image-rows .image-row[data-path="${DIRTY}"] .model-cell[data-model="good"]`);
    await cell.locator('.use-caption').click();
    const note = await waitFor(async () => (await cell.locator('.use-note.error').textContent()) ?? undefined, 'the refusal shown');
    assert.match(note, /unsaved changes/);
    assert.equal(fs.readFileSync(captionFile, 'utf8'), originals.get(captionFile)!.toString('utf8'), `the caption file is untouched (dirty: ${editor.document.isDirty})`);
    assert.ok(editor.document.getText().startsWith('unsaved '), "the editor's text is kept");
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // The editor group beside the panel is gone: the webview's frames may be re-created.
    frame = await reportFrame();
  });

  it("a click on an image's thumbnail opens it in the caption editor", async () => {
    const imagePath = path.join(api.dataset.index!.rootPath, ...USED.split('/'));
    await frame.locator(`#image-rows .image-row[data-path="${USED}"] img.thumb`).click();
    const tab = await waitFor(() => captionEditorTabs().find((t) => (t.input as vscode.TabInputCustom).uri.fsPath === imagePath), `a caption editor for ${USED}`);
    await vscode.window.tabGroups.close(tab);
    frame = await reportFrame();
  });

  it('exports the per-image CSV through the save dialog, byte for byte', async () => {
    const target = path.join(outDir, 'images.csv');
    await frame.locator('#export-images-csv').click();
    await answerSaveDialog('Export the evaluation (per image) as CSV', target);
    await waitFor(() => fs.existsSync(target), 'the CSV written');
    assert.ok(fs.readFileSync(target).equals(Buffer.from(reportImagesCsv(report), 'utf8')));
    assert.match(fs.readFileSync(target, 'utf8').split('\r\n')[1], /^landscapes\/meadow\.jpg,good,Fixture good,an old man swims up a hill,/, "rows in the report's order");
    await waitFor(async () => (await frame.locator('#status').textContent())?.includes(target), 'the status names the file');
  });

  it("exports the report as JSON through the save dialog in report.json's own format", async () => {
    const target = path.join(outDir, 'report.json');
    await frame.locator('#export-json').click();
    await answerSaveDialog('Export the evaluation report as JSON', target);
    await waitFor(() => fs.existsSync(target), 'the JSON written');
    const saved = await writeReport(path.join(outDir, 'as-saved'), JSON.parse(JSON.stringify(report)) as EvaluationReport);
    assert.ok(fs.readFileSync(target).equals(fs.readFileSync(saved)), 'the bytes writeReport gives a run\'s report.json');
    assert.deepEqual(JSON.parse(fs.readFileSync(target, 'utf8')), JSON.parse(JSON.stringify(report)));
  });

  it('exports the chart as a PNG drawn by Plotly in the webview', async () => {
    const target = path.join(outDir, 'chart.png');
    await frame.locator('#export-chart').click();
    await answerSaveDialog('Export the evaluation chart as PNG', target);
    await waitFor(() => fs.existsSync(target), 'the PNG written');
    const png = fs.readFileSync(target);
    assert.ok(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'a PNG signature');
    assert.ok(png.readUInt32BE(16) >= 640 && png.readUInt32BE(20) >= 360, `at least 640x360 (${png.readUInt32BE(16)}x${png.readUInt32BE(20)})`);
    assert.ok(png.length > 5000, `an image with content (${png.length} bytes)`);
  });

  it('opens the report file a Uri argument names', async () => {
    const copy = path.join(outDir, 'copy.json');
    fs.writeFileSync(copy, JSON.stringify({ ...report, id: 'copy', models: report.models.slice(1) }));
    await vscode.commands.executeCommand('imageCaptioner.evaluate.openReport', vscode.Uri.file(copy));
    await waitFor(() => api.evaluationReports.panel?.shown?.file === copy, 'the panel shows the copy');
    await waitFor(async () => (await frame.locator('#summary tbody tr').count()) === 1, 'one model in the table');
    assert.equal(await frame.locator('#summary tr[data-model="poor"] td[data-metric="cocoBleu4"]').textContent(), expected.poor.coco_bleu_1_4[3].toFixed(4));
  });

  it('a panel VS Code restores shows the report its webview kept in its state', async () => {
    api.evaluationReports.panel!.dispose();
    const panel = vscode.window.createWebviewPanel(EVALUATION_VIEW_TYPE, 'Evaluation Report', vscode.ViewColumn.Active, { enableScripts: true });
    await api.evaluationReports.revive(panel, { reportFile });
    frame = await reportFrame();
    assert.equal(await frame.locator('#summary tr[data-model="good"] td[data-metric="ciderD"]').textContent(), expected.good.cider_d.toFixed(4));
  });
});
