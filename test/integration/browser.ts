// Browser helpers for integration suites: reach the workbench page that the launcher opened, over CDP.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';

/** What the launcher tells the suite (JSON file named by IMAGE_CAPTIONER_HARNESS). */
export interface Harness {
  cdpEndpoint?: string; // absent when run through @vscode/test-electron
  resultFile?: string;
  logFile?: string;
  workspace?: string;
  /** The server's --user-data-dir: `User/settings.json` is the user's settings, `Machine/settings.json` the remote machine's. */
  userDataDir?: string;
  grep?: string;
  /** Workspace trust on and this folder untrusted: only the suites under untrusted/ run. */
  untrusted?: boolean;
  /** VS Code version of the server the launcher started (so a suite can tell it runs on the one asked for). */
  vscodeVersion?: string;
  /** Run this benchmark suite instead of the tests. */
  bench?: BenchSuite;
}

/** A benchmark run inside the extension host: bench/<name>.bench.js, its settings, where it writes its figures. */
export interface BenchSuite {
  readonly name: string;
  readonly resultFile: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export const HARNESS_ENV = 'IMAGE_CAPTIONER_HARNESS';
// out/test/integration/browser.js -> repository root
const repoRoot = path.resolve(__dirname, '..', '..', '..');

let cachedHarness: Harness | null | undefined;
export function readHarness(): Harness | undefined {
  if (cachedHarness === undefined) {
    const file = process.env[HARNESS_ENV];
    cachedHarness = file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Harness) : null;
  }
  return cachedHarness ?? undefined;
}

/** True when a browser shows the workbench (offline server route); suites call this.skip() otherwise. */
export function hasBrowser(): boolean {
  return !!readHarness()?.cdpEndpoint;
}

let browser: Promise<Browser> | undefined;
let workbench: Page | undefined;

/** The page that shows the VS Code workbench, connected once per extension host. */
export async function getWorkbenchPage(timeoutMs = 30_000): Promise<Page> {
  const endpoint = readHarness()?.cdpEndpoint;
  if (!endpoint) throw new Error('No browser: run through runIntegration.js (guard with hasBrowser())');
  if (workbench && !workbench.isClosed()) return workbench;
  // Lazy import: suites run under @vscode/test-electron never load playwright.
  browser ??= import('playwright-core').then((pw) => pw.chromium.connectOverCDP(endpoint));
  const connected = await browser;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const page of connected.contexts().flatMap((c) => c.pages())) {
      if (await page.locator('.monaco-workbench').count().catch(() => 0)) return (workbench = page);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`No page with .monaco-workbench among ${connected.contexts().flatMap((c) => c.pages().map((p) => p.url())).join(', ')}`);
}

export interface WebviewFilter {
  /** Extension id of the webview's owner (the outer iframe's `extensionId` query parameter). */
  extensionId?: string;
  /** The webview document's <title>. */
  title?: string | RegExp;
  /** A selector that must match inside the webview document. */
  selector?: string;
  timeoutMs?: number;
}

/**
 * The content frame of a visible, loaded webview. Webviews are two nested iframes:
 * `iframe.webview.ready` (host) -> `#active-frame` (the extension's HTML).
 */
export async function webviewFrame(page: Page, filter: WebviewFilter = {}): Promise<FrameLocator> {
  const hosts = page.locator(
    filter.extensionId ? `iframe.webview.ready[src*="extensionId=${encodeURIComponent(filter.extensionId)}"]` : 'iframe.webview.ready',
  );
  const deadline = Date.now() + (filter.timeoutMs ?? 20_000);
  for (;;) {
    const count = await hosts.count();
    for (let i = 0; i < count; i++) {
      if (!(await hosts.nth(i).isVisible().catch(() => false))) continue;
      const content = hosts.nth(i).contentFrame().frameLocator('#active-frame');
      if (await matches(content, filter)) return content;
    }
    if (Date.now() > deadline) {
      throw new Error(`No visible webview matching ${JSON.stringify({ ...filter, title: String(filter.title ?? '') })} (${count} loaded: ${(await describeWebviews(hosts, filter)).join('; ')})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** What each loaded webview is, for the message of a failed search: visible or not, its title, whether the selector matched. */
async function describeWebviews(hosts: ReturnType<Page['locator']>, filter: WebviewFilter): Promise<string[]> {
  const described: string[] = [];
  for (let i = 0; i < (await hosts.count()); i++) {
    const visible = await hosts.nth(i).isVisible().catch(() => false);
    const content = hosts.nth(i).contentFrame().frameLocator('#active-frame');
    const title = await content.locator('title').first().textContent({ timeout: 1000 }).catch(() => '(no document)');
    const selector = filter.selector ? `, ${filter.selector} ${(await content.locator(filter.selector).count().catch(() => 0)) ? 'found' : 'absent'}` : '';
    described.push(`${visible ? 'visible' : 'hidden'} "${title}"${selector}`);
  }
  return [...described, `frames: ${await describeFrames(hosts.page())}`];
}

/** Every frame of the page below the workbench: its name or id, URL path and document state (or why none answered within a second). */
async function describeFrames(page: Page): Promise<string> {
  const states = await Promise.all(page.frames().filter((f) => f !== page.mainFrame()).map(async (frame) => {
    const state = await Promise.race([
      (frame.evaluate('`${document.readyState}, title "${document.title}", ${document.body?.childElementCount ?? 0} body children: ${(document.body?.innerHTML ?? "").replace(/\\s+/g, " ").slice(0, 240)}`') as Promise<string>).catch((err: Error) => `error ${err.message.split('\n')[0]}`),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 1 s'), 1000)),
    ]);
    const url = frame.url().replace(/^[a-z-]+:\/\/[^/]+/, '').replace(/\?.*$/, '');
    return `${frame.name() || '(unnamed)'} ${url || '(no url)'}${frame.isDetached() ? ' detached' : ''}: ${state}`;
  }));
  return states.join(' / ');
}

async function matches(content: FrameLocator, filter: WebviewFilter): Promise<boolean> {
  // The inner frame is replaced while the webview (re)loads: treat errors as "not yet".
  try {
    if ((await content.locator('body').count()) === 0) return false;
    if (filter.selector && (await content.locator(filter.selector).count()) === 0) return false;
    if (filter.title !== undefined) {
      const title = (await content.locator('title').first().textContent({ timeout: 1000 })) ?? '';
      return typeof filter.title === 'string' ? title === filter.title : filter.title.test(title);
    }
    return true;
  } catch {
    return false;
  }
}

/** Saves a screenshot of the workbench to out/test/screenshots/<name>.png and returns its path. */
export async function screenshot(name: string): Promise<string> {
  const file = path.join(repoRoot, 'out', 'test', 'screenshots', `${name.replace(/[^\w.-]+/g, '_')}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await (await getWorkbenchPage()).screenshot({ path: file });
  return file;
}

/** The messages in VS Code's notification center (opened for the purpose): what a failed test shows the user was told. */
export async function notificationTexts(page: Page): Promise<string[]> {
  await page.keyboard.press('Escape').catch(() => undefined);
  const center = page.locator('.notifications-center .notification-list-item-message');
  const opener = page.locator('.statusbar-item[id="status.notifications"] a, .statusbar-item[id="status.notifications"]').first();
  await opener.click({ timeout: 2000 }).catch(() => undefined);
  return (await center.allTextContents().catch(() => [])).map((text) => text.replaceAll('\u2060', ''));
}
