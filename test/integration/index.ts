// Entry point that VS Code's extension host loads (extensionTestsPath): runs every *.test.js with Mocha.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { Harness, readHarness } from './browser';

export interface SuiteResult {
  passed: number;
  failed: number;
  skipped: number;
  failures: { title: string; error: string }[];
}

/** One line per finished test, appended to the harness log so the launcher can print progress. */
export type LogEvent =
  | { event: 'start'; total: number }
  | { event: 'pass' | 'fail' | 'pending'; title: string; ms?: number; error?: string }
  | { event: 'note'; message: string };

/** A measurement or remark a test wants printed with the run's output (console output of the host is not). */
export function note(message: string): void {
  const logFile = readHarness()?.logFile;
  if (logFile) fs.appendFileSync(logFile, JSON.stringify({ event: 'note', message } satisfies LogEvent) + '\n');
  else console.log(message);
}

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? findTests(path.join(dir, e.name)) : e.name.endsWith('.test.js') ? [path.join(dir, e.name)] : []))
    .sort();
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.stack ?? err.message : String(err);
}

function runMocha(harness: Harness | undefined, log: (e: LogEvent) => void): Promise<SuiteResult> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  const grep = harness?.grep;
  const untrusted = Boolean(harness?.untrusted);
  // The suites under untrusted/ need a window whose folder is not trusted; the others a trusted one.
  // A benchmark window runs its one suite under bench/ (named *.bench.js, so never among the tests).
  const untrustedDir = path.join(__dirname, 'untrusted') + path.sep;
  if (harness?.bench) mocha.addFile(path.join(__dirname, 'bench', `${harness.bench.name}.bench.js`));
  else for (const file of findTests(__dirname)) if (file.startsWith(untrustedDir) === untrusted) mocha.addFile(file);
  if (grep) mocha.grep(new RegExp(grep));
  const result: SuiteResult = { passed: 0, failed: 0, skipped: 0, failures: [] };
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve(result));
    runner.on('start', () => log({ event: 'start', total: runner.total }));
    runner.on('pass', (t) => {
      result.passed++;
      log({ event: 'pass', title: t.fullTitle(), ms: t.duration });
    });
    runner.on('pending', (t) => {
      result.skipped++;
      log({ event: 'pending', title: t.fullTitle() });
    });
    // Also fires for failing hooks, which then count as one failure each.
    runner.on('fail', (t, err) => {
      result.failed++;
      result.failures.push({ title: t.fullTitle(), error: errorText(err) });
      log({ event: 'fail', title: t.fullTitle(), ms: t.duration, error: errorText(err) });
    });
  });
}

export async function run(): Promise<void> {
  let result: SuiteResult;
  let harness: Harness | undefined;
  try {
    harness = readHarness();
    const logFile = harness?.logFile;
    const log = (e: LogEvent) => logFile && fs.appendFileSync(logFile, JSON.stringify(e) + '\n');
    result = await runMocha(harness, log);
  } catch (err) {
    result = { passed: 0, failed: 1, skipped: 0, failures: [{ title: 'integration suite setup', error: errorText(err) }] };
  }
  if (harness?.resultFile) {
    // Write then rename, so the launcher never reads a half-written file.
    fs.writeFileSync(harness.resultFile + '.tmp', JSON.stringify(result, null, 2));
    fs.renameSync(harness.resultFile + '.tmp', harness.resultFile);
  }
  // @vscode/test-electron turns a rejection into a non-zero exit code.
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
  if (result.passed === 0) throw new Error('No integration test passed');
}
