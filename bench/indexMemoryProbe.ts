/**
 * Child process of the index-memory benchmark (run with --expose-gc): builds the index of the
 * folder in argv[2] and prints, as JSON on stdout, the memory held after a full gc before and after.
 */
import { DatasetIndex } from '../src/core/dataset/datasetIndex';
import { benchIndexOptions } from './syntheticDataset';
import { fullGc, heapAndExternal } from './memoryProbe';

export interface MemoryProbeResult {
  readonly images: number;
  /** Bytes of heapUsed + external retained by the index. */
  readonly retainedBytes: number;
  readonly rssBytes: number;
  /** Highest heapUsed + external seen while building, above the baseline (garbage included). */
  readonly peakDuringBuildBytes: number;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  fullGc();
  const before = heapAndExternal();
  const rssBefore = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, heapAndExternal())), 5);
  const index = await DatasetIndex.build(dir, benchIndexOptions);
  const images = index.size; // the dataset order is part of what an open dataset holds
  clearInterval(sampler);
  peak = Math.max(peak, heapAndExternal());
  fullGc();
  const result: MemoryProbeResult = {
    images,
    retainedBytes: heapAndExternal() - before,
    rssBytes: process.memoryUsage().rss - rssBefore,
    peakDuringBuildBytes: peak - before,
  };
  if (index.at(images - 1) === undefined) throw new Error('index lost its images'); // holds the index until here
  process.stdout.write(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
