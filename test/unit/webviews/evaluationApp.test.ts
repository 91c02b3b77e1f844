/**
 * The evaluation report's webview app (dist/webviews/evaluation.js, as esbuild.mjs builds it) in
 * headless Chromium under the webview CSP, with VS Code's webview API stubbed to record what the
 * app posts: texts from the report stay text, the chart draws and exports as PNG bytes, sorting and
 * paging hold 5,000 images to one page of rows, and nothing the page does is refused by the CSP.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { EvaluationImage, EvaluationReport } from '../../../src/core/evaluation/evaluationReport';
import { webviewCsp } from '../../../src/webviews/webviewCsp';
import { PAGE_SIZE } from '../../../src/webviews/ui/evaluation/imageOrder';
import { smallReport } from '../evaluation/panelReports';
import { webviewCss } from '../../fixtures/webviewCss';

const ORIGIN = 'https://evaluation-app.test';
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const HOSTILE = '<img src=x onerror="window.pwned=1">';

type Posted = { type: string; png?: Record<string, number> | Uint8Array; path?: string; modelId?: string };
type PageGlobals = { posted: Posted[]; pwned?: number };

function pageHtml(csp: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${ORIGIN}/evaluation.css">
<style nonce="${nonce}">body { --vscode-editor-background: #1e1e1e; --vscode-foreground: #cccccc; --vscode-font-family: sans-serif; --vscode-font-size: 13px; }</style>
<title>Evaluation Report</title></head>
<body class="vscode-dark"><div id="app"></div>
<script nonce="${nonce}">
document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));
window.posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => undefined, setState: () => undefined });
</script>
<script nonce="${nonce}" src="${ORIGIN}/evaluation.js"></script>
</body></html>`;
}

function manyImages(n: number): EvaluationImage[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `img${i}.jpg`,
    references: ['a dog runs'],
    captions: { a: { text: `caption ${i}` }, b: { text: `other ${i}` } },
    scores: {
      a: { cocoBleu: [0, 0, 0, (i % 97) / 100] as const, nltkBleu4: 0, ciderD: (i % 89) / 10 },
      b: { cocoBleu: [0, 0, 0, 0] as const, nltkBleu4: 0, ciderD: 0 },
    },
  }));
}

describe('evaluation report app in Chromium under the webview CSP', function () {
  this.timeout(90_000);
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];
  const errors: string[] = [];

  const show = async (report: EvaluationReport, readOnly?: string): Promise<void> => {
    const message = { type: 'report', report, reportFile: '/r/report.json', imageBase: 'https://evaluation-app.test/img', readOnly };
    // the previous test's table is taken away first, so the wait below is for this report's table (a race in one CI run)
    await page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): { remove(): void } | null } }).document.querySelector('#summary table')?.remove());
    await page.evaluate((m) => (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(m, '*'), message as unknown as Record<string, unknown>);
    await page.locator('#summary table').waitFor();
  };
  const rowPaths = (): Promise<string[]> => page.locator('#image-rows .image-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path') ?? ''));

  before(async () => {
    const script = fs.readFileSync(path.join(repoRoot, 'dist', 'webviews', 'evaluation.js'), 'utf8');
    const css = webviewCss(repoRoot, 'evaluation');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      else if (!/Failed to load resource/.test(m.text())) errors.push(m.text()); // thumbnails of this fake dataset are 404s
    });
    const nonce = randomBytes(16).toString('base64');
    const csp = webviewCsp(ORIGIN, nonce);
    await page.route(`${ORIGIN}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': csp }, body: pageHtml(csp, nonce) });
      if (url.pathname === '/evaluation.js') return route.fulfill({ contentType: 'text/javascript', body: script });
      if (url.pathname === '/evaluation.css') return route.fulfill({ contentType: 'text/css', body: css });
      return route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).posted.some((m) => m.type === 'ready'));
  });
  after(async () => {
    await browser?.close();
  });

  it('shows texts from the report as text: no element, no handler from a caption, label, path or reference', async () => {
    const base = smallReport();
    const report: EvaluationReport = {
      ...base,
      models: [{ ...base.models[0], label: HOSTILE }, base.models[1]],
      images: [{ ...base.images[0], path: `${HOSTILE}.jpg`, references: [HOSTILE], captions: { a: { text: HOSTILE }, b: { error: HOSTILE } } }, ...base.images.slice(1)],
    };
    await show(report);
    assert.equal(await page.locator('#app img:not(.thumb)').count(), 0, 'no <img> but the thumbnails');
    assert.equal(await page.locator('#summary tr[data-model="a"] .model-name').textContent(), HOSTILE);
    const row = page.locator('#image-rows .image-row').filter({ hasText: `${HOSTILE}.jpg` });
    assert.equal(await row.locator('.model-cell[data-model="a"] .caption').textContent(), HOSTILE);
    assert.equal(await row.locator('.model-cell[data-model="b"] .caption').textContent(), `No caption: ${HOSTILE}`);
    assert.equal(await row.locator('.references li').first().textContent(), HOSTILE);
    assert.equal(await page.locator('#summary tr[data-model="b"] td[data-metric="bias"]').textContent(), 'no gendered image');
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned), undefined);
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
  });

  it('draws the chart and exports it as PNG bytes with a click, under the CSP', async () => {
    await show(smallReport());
    await page.waitForFunction(() => ((globalThis as unknown as { document: { getElementById(id: string): { data?: unknown[] } } }).document.getElementById('chart').data?.length ?? 0) === 2);
    await page.locator('#export-chart').click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).posted.some((m) => m.type === 'exportChart'));
    const png = await page.evaluate(() => Array.from((globalThis as unknown as PageGlobals).posted.find((m) => m.type === 'exportChart')!.png as Uint8Array));
    assert.deepEqual(png.slice(0, 8), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    assert.ok(png.length > 5000, `a drawn chart (${png.length} bytes)`);
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
  });

  it('holds 5,000 images to one page of rows; sorting by a metric and paging reorder them; Use this caption posts its image and model', async () => {
    const report: EvaluationReport = { ...smallReport(), images: manyImages(5000) };
    await show(report);
    assert.equal((await rowPaths()).length, PAGE_SIZE);
    assert.equal(await page.locator('#page-label').textContent(), 'Images 1–50 of 5,000 · page 1 of 100');
    let t = Date.now();
    await page.locator('#image-sort').selectOption({ label: `${report.models[0].label}: CIDEr-D` });
    await page.locator('#image-sort-descending').check();
    assert.ok(Date.now() - t < 2000, `sorted 5,000 images in ${Date.now() - t} ms`);
    const top = await rowPaths();
    assert.deepEqual(top.slice(0, 2), ['img88.jpg', 'img177.jpg'], 'CIDEr-D 8.8 first, ties in path order');
    t = Date.now();
    await page.locator('#page-next').click();
    assert.ok(Date.now() - t < 2000, `turned the page in ${Date.now() - t} ms`);
    const second = await rowPaths();
    assert.equal(second.length, PAGE_SIZE);
    assert.ok(!second.includes(top[0]));
    await page.locator(`#image-rows .image-row[data-path="${second[0]}"] .model-cell[data-model="b"] .use-caption`).click();
    const posted = await page.evaluate(() => (globalThis as unknown as PageGlobals).posted.filter((m) => m.type === 'useCaption'));
    assert.deepEqual(posted, [{ type: 'useCaption', path: second[0], modelId: 'b' }]);
    assert.deepEqual(violations, []);
  });

  it("a report of another dataset than the one open offers no 'Use this caption', and says why", async () => {
    await show(smallReport(), 'This report is of /data/set; open that folder as the dataset to use its captions.');
    const buttons = page.locator('#image-rows .use-caption');
    assert.ok((await buttons.count()) > 0);
    for (const b of await buttons.all()) {
      assert.equal(await b.isDisabled(), true);
      assert.match((await b.getAttribute('title')) ?? '', /open that folder/);
    }
    assert.match((await page.locator('#report-header').textContent()) ?? '', /open that folder as the dataset/);
  });
});
