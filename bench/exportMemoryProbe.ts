/**
 * Child process of the export-memory benchmark (run with --expose-gc): exports the first argv[3]
 * samples of the dataset in argv[2] to WebDataset shards under argv[4] and prints, as JSON on stdout,
 * the peak memory while exporting above the baseline taken once the sample list is built.
 */
import * as path from 'node:path';
import { exportWebDataset } from '../src/core/export';
import { exportMemorySamples } from './exportMemoryBench';

export interface ExportMemoryProbeResult {
  readonly samples: number;
  /** Highest RSS of the whole process while exporting. */
  readonly peakRssBytes: number;
  /** Highest RSS and heapUsed + external above the baseline (the export's own memory, garbage included). */
  readonly rssGrowthBytes: number;
  readonly heapExternalGrowthBytes: number;
}

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
  fullGc();
  const heapBefore = heapAndExternal();
  const rssBefore = process.memoryUsage.rss();
  let peakHeap = heapBefore;
  let peakRss = rssBefore;
  const sample = (): void => {
    peakHeap = Math.max(peakHeap, heapAndExternal());
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };
  const sampler = setInterval(sample, 5);
  const report = await exportWebDataset(samples, { outDir: path.resolve(outDir) });
  clearInterval(sampler);
  sample();
  if (report.samples !== count) throw new Error(`exported ${report.samples} of ${count} samples: ${JSON.stringify(report.skipped.slice(0, 3))}`);
  const result: ExportMemoryProbeResult = {
    samples: report.samples,
    peakRssBytes: peakRss,
    rssGrowthBytes: peakRss - rssBefore,
    heapExternalGrowthBytes: peakHeap - heapBefore,
  };
  process.stdout.write(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
