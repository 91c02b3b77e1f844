/**
 * The CLI's benchmarks (issue 14): `shard-scaling` (four shard processes against one, same dataset,
 * same server) and `cli-startup` (`image-captioner --help` against `node -e 0`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startOpenAiFakeServer } from '../test/fixtures/fakeServers/openAiFakeServer';
import { writeDataset } from '../test/unit/export/exportTestKit';
import { Benchmark, median, note } from './measure';

const BUNDLE = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const IMAGES = 2000;
const LATENCY_MS = 100;
const CONCURRENCY = 8;
const SHARDS = 4;

/** Runs `node dist/cli.js ...args`; resolves with its wall time, rejects on a non-zero exit. */
function runCliProcess(args: readonly string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`image-captioner ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

export const shardScalingBench: Benchmark = {
  name: 'shard-scaling',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-shard-scaling-'));
    const server = await startOpenAiFakeServer({ latencyMs: LATENCY_MS, keepBodies: 0 });
    try {
      const dataset = path.join(root, 'ds');
      mkdirSync(dataset, { recursive: true });
      await writeDataset(dataset, Array.from({ length: IMAGES }, (_, i) => ({ rel: `f${i % 10}/img${i}.png`, width: 16, height: 12 })));
      const common = ['--model', 'bench-vlm', '--base-url', server.url, '--mode', 'overwrite', '--concurrency', String(CONCURRENCY)];
      const oneMs = await runCliProcess(['caption', dataset, ...common, '--state-dir', path.join(root, 'one')]);
      const asked = server.requests.length;
      const shardsMs = Math.max(...(await Promise.all(Array.from({ length: SHARDS }, (_, i) => runCliProcess(['caption', dataset, ...common, '--shard', `${i}/${SHARDS}`, '--state-dir', path.join(root, 'shards')])))));
      if (asked !== IMAGES || server.requests.length !== 2 * IMAGES) throw new Error(`expected ${IMAGES} requests per run, got ${asked} and ${server.requests.length - asked}`);
      const ideal = (IMAGES * LATENCY_MS) / CONCURRENCY;
      note(`${IMAGES} images, ${LATENCY_MS} ms per request, ${CONCURRENCY} in flight per process: 1 process ${(oneMs / 1000).toFixed(1)} s (ideal ${(ideal / 1000).toFixed(1)} s), ${SHARDS} shard processes ${(shardsMs / 1000).toFixed(1)} s (slowest)`);
      return { figure: oneMs / shardsMs, unit: 'x one process', target: 3.6, op: '>=' };
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};

export const cliStartupBench: Benchmark = {
  name: 'cli-startup',
  async run() {
    const time = (args: string[]): number => {
      const started = performance.now();
      const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
      return performance.now() - started;
    };
    const cli: number[] = [];
    const bare: number[] = [];
    // interleaved, so load on the machine hits both alike
    for (let i = 0; i < 15; i++) {
      cli.push(time([BUNDLE, '--help']));
      bare.push(time(['-e', '0']));
    }
    note(`image-captioner --help ${median(cli).toFixed(0)} ms, node -e 0 ${median(bare).toFixed(0)} ms (medians of 15)`);
    return { figure: median(cli) / median(bare), unit: 'x node -e 0', target: 3, op: '<=' };
  },
};
