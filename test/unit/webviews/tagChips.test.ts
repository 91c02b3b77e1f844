/**
 * The caption editor's tag chips (src/webviews/ui/captionEditor/tagChips.ts) in headless Chromium under
 * the webview CSP: one chip per tag with its confidence, tags from a label file shown as text (never
 * markup), a click reports its tag once.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { webviewCsp } from '../../../src/webviews/webviewCsp';

const ORIGIN = 'https://tag-chips.test';
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const HOSTILE = '<img src=x onerror="window.pwned=1">';

// the module's shape, written out: the test's tsconfig has no DOM types for the browser module itself
type PageGlobals = { dropped: string[]; pwned?: number; TagChips: { renderTagChips(container: unknown, tags: ReadonlyArray<{ tag: string; score: number }>, onDrop: (tag: string) => void): void } };

describe('caption editor tag chips in Chromium under the webview CSP', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];

  before(async () => {
    // the module alone, bundled as the caption editor's bundle includes it
    const built = await esbuild.build({ entryPoints: [path.join(repoRoot, 'src/webviews/ui/captionEditor/tagChips.ts')], bundle: true, format: 'iife', globalName: 'TagChips', write: false, platform: 'browser' });
    const script = built.outputFiles[0].text;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const nonce = randomBytes(16).toString('base64');
    const csp = webviewCsp(ORIGIN, nonce);
    const html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}"></head><body><div id="chips"></div>
<script nonce="${nonce}">document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective));</script>
<script nonce="${nonce}" src="${ORIGIN}/chips.js"></script></body></html>`;
    await page.route(`${ORIGIN}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': csp }, body: html });
      if (url.pathname === '/chips.js') return route.fulfill({ contentType: 'text/javascript', body: script });
      return route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/`);
  });
  after(async () => {
    await browser?.close();
  });

  const render = (tags: Array<{ tag: string; score: number }>): Promise<void> =>
    page.evaluate((list) => {
      const g = globalThis as unknown as PageGlobals & { document: { getElementById(id: string): unknown } };
      g.dropped = [];
      g.TagChips.renderTagChips(g.document.getElementById('chips'), list, (tag) => g.dropped.push(tag));
    }, tags);

  it('shows one chip per tag with its confidence to two decimals, in the order given', async () => {
    await render([{ tag: 'long hair', score: 0.9234 }, { tag: 'hat \\(object\\)', score: 0.5 }, { tag: '^_^', score: 1 }]);
    const texts = await page.locator('.tag-chip').evaluateAll((chips) => chips.map((c) => c.textContent));
    assert.deepEqual(texts, ['long hair 0.92', 'hat \\(object\\) 0.50', '^_^ 1.00']);
  });

  it('shows a tag that looks like markup as text: no element, no handler runs', async () => {
    await render([{ tag: HOSTILE, score: 0.8 }]);
    assert.equal(await page.locator('.tag-chip .tag-chip-name').textContent(), HOSTILE);
    assert.equal(await page.locator('#chips img').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned), undefined);
    assert.deepEqual(violations, []);
  });

  it('reports a clicked chip\'s tag once (a second click on it does nothing), and says when no tag is left', async () => {
    await render([{ tag: 'solo', score: 0.9 }, { tag: 'smile', score: 0.6 }]);
    const smile = page.locator('.tag-chip', { hasText: 'smile' });
    await smile.click();
    await smile.click({ force: true }).catch(() => undefined);
    assert.deepEqual(await page.evaluate(() => (globalThis as unknown as PageGlobals).dropped), ['smile']);
    await render([]);
    assert.match((await page.locator('#chips').textContent()) ?? '', /No tags left/);
  });
});
