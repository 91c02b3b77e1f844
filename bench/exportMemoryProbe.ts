/**
 * Child process of the export-memory benchmark (run with --expose-gc): exports the first argv[3]
 * samples of the dataset in argv[2] to WebDataset shards under argv[4] and prints, as JSON on stdout,
 * the peak memory while exporting above a baseline taken once the sample list (the caller's memory)
 * is built and a warm-up export of 5,000 samples has loaded and optimized the code.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { exportWebDataset } from '../src/core/export';
import { exportMemorySamples } from './exportMemoryBench';

const WARM_UP = 5000;

export interface ExportMemoryProbeResult {
  readonly samples: number;
  /** Highest RSS of the whole process while exporting (the sample list included). */
  readonly peakRssBytes: number;
  /** Highest RSS and heapUsed + external above the baseline: the export's own memory, garbage included. */
  readonly rssGrowthBytes: number;
  readonly heapExternalGrowthBytes: number;
  /** Highest heapUsed + external above the baseline right after a full gc, every 50 ms: what the export holds. */
  readonly liveGrowthBytes: number;
}

const LIVE_SAMPLE_MS = 50;

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the export memory probe with node --expose-gc');
  gc();
  gc();
}

function heapAndExternal(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

async function main(): Promise<void> {
  const [dir, count, outDir] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
  const samples = exportMemorySamples(dir, count);
  const warmUpDir = path.resolve(outDir, 'warm-up');
  await exportWebDataset(samples.slice(0, WARM_UP), { outDir: warmUpDir });
  rmSync(warmUpDir, { recursive: true });
  fullGc();
  const heapBefore = heapAndExternal();
  const rssBefore = process.memoryUsage.rss();
  let peakHeap = heapBefore;
  let peakRss = rssBefore;
  const sample = (): void => {
    peakHeap = Math.max(peakHeap, heapAndExternal());
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };
  let peakLive = heapBefore;
  const sampler = setInterval(sample, 5);
  const liveSampler = setInterval(() => {
    sample();
    fullGc();
    peakLive = Math.max(peakLive, heapAndExternal());
  }, LIVE_SAMPLE_MS);
  const report = await exportWebDataset(samples, { outDir: path.resolve(outDir, 'shards') });
  clearInterval(sampler);
  clearInterval(liveSampler);
  sample();
  if (report.samples !== count) throw new Error(`exported ${report.samples} of ${count} samples: ${JSON.stringify(report.skipped.slice(0, 3))}`);
  const result: ExportMemoryProbeResult = {
    samples: report.samples,
    peakRssBytes: peakRss,
    rssGrowthBytes: peakRss - rssBefore,
    heapExternalGrowthBytes: peakHeap - heapBefore,
    liveGrowthBytes: peakLive - heapBefore,
  };
  process.stdout.write(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
