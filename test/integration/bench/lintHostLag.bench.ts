// Benchmark suite (not a test): the extension host's longest turn while "Lint Captions" runs over
// 100,000 caption files. Run by bench/lintHostLagBench.ts through the launcher; it writes its figures to the harness's resultFile.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { allProblems } from '../../../src/services/lintedCaption';
import { readHarness } from '../browser';
import { activateExtension, waitFor } from '../extensionApi';
import { note } from '../index';
import { startProfiler } from './cpuProfile';

/** What bench/lintHostLagBench.ts passes in: a folder of images (empty files) with 100,000 captions. */
export interface LintHostLagConfig {
  readonly datasetDir: string;
  /** Where to write a V8 CPU profile of the extension host during the lint (where its time goes), if anywhere. */
  readonly cpuProfile?: string;
}

/** What the suite measured, written as JSON to the harness's resultFile. */
export interface LintHostLagResult {
  readonly captions: number;
  readonly problems: number;
  readonly lintMs: number;
  /** Event-loop delay beyond the 10 ms timer, in ms: the longest turn, and the 99th percentile. */
  readonly max: number;
  readonly p99: number;
  readonly samples: number;
  readonly notes: readonly string[];
  /** Turns over 100 ms, in ms since the lint began (to find them in the CPU profile). */
  readonly longTurns: ReadonlyArray<{ readonly start: number; readonly ms: number }>;
}

const RESOLUTION_MS = 10;

describe('lint-host-lag: the extension host while 100,000 captions are linted', function () {
  this.timeout(600_000);

  it('lints every caption file of the folder', async () => {
    const suite = readHarness()?.bench;
    if (!suite) throw new Error('run through bench/lintHostLagBench.ts: the harness names no benchmark');
    const config = suite.config as unknown as LintHostLagConfig;
    const api = await activateExtension();
    await vscode.commands.executeCommand('imageCaptioner.openDatasetFolder', vscode.Uri.file(config.datasetDir));
    await waitFor(() => api.dataset.index?.rootPath === config.datasetDir && api.dataset.state === 'ready', 'the bench folder indexed', 120_000);
    // settle: the index's own background work is not the lint's
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const profiler = config.cpuProfile ? await startProfiler() : undefined;
    const lag = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    const started = performance.now();
    // a 5 ms ticker: a gap between ticks is a turn that held the host
    const longTurns: Array<{ start: number; ms: number }> = [];
    let last = started;
    const ticker = setInterval(() => {
      const now = performance.now();
      if (now - last > 100) longTurns.push({ start: last - started, ms: now - last });
      last = now;
    }, 5);
    lag.enable();
    const captions = await vscode.commands.executeCommand<number>('imageCaptioner.lint.run', vscode.Uri.file(config.datasetDir));
    const lintMs = performance.now() - started;
    lag.disable();
    clearInterval(ticker);
    if (profiler) fs.writeFileSync(config.cpuProfile!, JSON.stringify(await profiler.stop()));
    let problems = 0;
    for (const caption of api.linter.all()) problems += allProblems(caption).length;
    assert.equal(captions, api.dataset.index!.size, 'every caption file linted');
    const ms = (ns: number): number => ns / 1e6 - RESOLUTION_MS;
    const result: LintHostLagResult = { captions, problems, lintMs, max: ms(lag.max), p99: ms(lag.percentile(99)), samples: lag.count, notes: api.linter.notes, longTurns };
    fs.writeFileSync(suite.resultFile, JSON.stringify(result));
    note(`${captions} captions, ${problems} problems in ${(lintMs / 1000).toFixed(1)} s; longest turn ${result.max.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`);
    await vscode.commands.executeCommand('imageCaptioner.lint.clear');
  });
});
