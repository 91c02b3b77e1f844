// Benchmark suite (not a test): the extension host's event-loop delay during a real caption batch.
// Run by bench/hostLagBench.ts through the launcher; it writes its figures to the harness's resultFile.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { readHarness } from '../browser';
import { activateExtension, waitFor } from '../extensionApi';
import { note } from '../index';
import { startProfiler } from './cpuProfile';

/** What bench/hostLagBench.ts passes in: a folder of images without captions and the fake server to caption them. */
export interface HostLagConfig {
  readonly datasetDir: string;
  readonly serverUrl: string;
  readonly concurrency: number;
  readonly maxImageSide: number;
  /** Where to write a V8 CPU profile of the extension host during the batch (where its time goes), if anywhere. */
  readonly cpuProfile?: string;
}

/** What the suite measured, written as JSON to the harness's resultFile. */
export interface HostLagResult {
  readonly images: number;
  readonly batchMs: number;
  /** From the batch's end until the dataset view counted every new caption (watcher events, re-listing). */
  readonly viewCaughtUpMs: number;
  /** Event-loop delay beyond the 10 ms timer, in ms. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
  /** Extension host CPU time during the batch ÷ its wall time (cores). */
  readonly hostCpu: number;
}

const RESOLUTION_MS = 10;
const MODEL_ID = 'bench/host-lag';

describe('host-lag: the extension host during a caption batch', function () {
  this.timeout(600_000);

  after(async () => {
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
  });

  it('captions every image of the folder while the dataset view follows', async () => {
    const suite = readHarness()?.bench;
    if (!suite) throw new Error('run through bench/hostLagBench.ts: the harness names no benchmark');
    const config = suite.config as unknown as HostLagConfig;
    const api = await activateExtension();
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', [{
      id: MODEL_ID, label: 'Bench VLM', provider: 'openai-compatible', baseUrl: config.serverUrl, model: 'fake-vlm', key: 'none',
      maxImageSide: config.maxImageSide, capabilities: { stream: false }, rateLimit: { concurrency: config.concurrency },
    }], vscode.ConfigurationTarget.Global);
    const model = await waitFor(() => api.captioning.registry.find(MODEL_ID), 'the bench model in the registry');
    await api.captioning.registry.select(model);

    // as a user would: open the folder (the dataset view shows it), then Caption Uncaptioned
    await vscode.commands.executeCommand('imageCaptioner.openDatasetFolder', vscode.Uri.file(config.datasetDir));
    await waitFor(() => api.dataset.index?.rootPath === config.datasetDir && api.dataset.state === 'ready', 'the bench folder indexed', 60_000);
    const images = api.dataset.index!.size;
    const captions = (): number => fs.readdirSync(config.datasetDir).filter((name) => name.endsWith('.txt')).length;
    assert.equal(captions(), 0, 'the folder starts without captions');

    const profiler = config.cpuProfile ? await startProfiler() : undefined;
    const lag = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    lag.enable();
    await vscode.commands.executeCommand('imageCaptioner.captionUncaptioned');
    const batchMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const ended = performance.now();
    await waitFor(() => api.dataset.index!.counts().captioned === images, 'the dataset view counting every new caption', 60_000);
    const viewCaughtUpMs = performance.now() - ended;
    lag.disable();
    if (profiler) fs.writeFileSync(config.cpuProfile!, JSON.stringify(await profiler.stop()));

    assert.equal(captions(), images, 'one caption file per image');
    const ms = (ns: number): number => ns / 1e6 - RESOLUTION_MS; // the histogram counts the timer's own resolution
    const result: HostLagResult = {
      images,
      batchMs,
      viewCaughtUpMs,
      p50: ms(lag.percentile(50)),
      p99: ms(lag.percentile(99)),
      max: ms(lag.max),
      samples: lag.count,
      hostCpu: (cpu.user + cpu.system) / 1000 / batchMs,
    };
    fs.writeFileSync(suite.resultFile, JSON.stringify(result));
    note(`${images} images in ${(batchMs / 1000).toFixed(1)} s; view caught up ${viewCaughtUpMs.toFixed(0)} ms later; p99 lag ${result.p99.toFixed(1)} ms`);
  });
});
