import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Benchmark, median, note } from './measure';
import type { MemoryProbeResult } from './indexMemoryProbe';
import { LARGE_DATASET, SyntheticDatasets } from './syntheticDataset';

const RUNS = 3;
const MB = 1024 * 1024;

/** Memory the index of 100,000 images holds, each run in a fresh Node process so nothing else is counted. */
export const indexMemoryBench: Benchmark = {
  name: 'index-memory',
  async run(datasets: SyntheticDatasets) {
    const dir = datasets.get(LARGE_DATASET);
    const probes: MemoryProbeResult[] = [];
    for (let i = 0; i < RUNS; i++) probes.push(await probeIndexMemory(dir));
    const mb = (pick: (p: MemoryProbeResult) => number): string => (median(probes.map(pick)) / MB).toFixed(1);
    note(`${probes[0].images} images: heap+external retained ${mb((p) => p.retainedBytes)} MB, ` +
      `RSS growth ${mb((p) => p.rssBytes)} MB, peak heap+external while building ${mb((p) => p.peakDuringBuildBytes)} MB (median of ${RUNS})`);
    return { figure: median(probes.map((p) => p.retainedBytes)) / MB, unit: ' MB', target: 150 };
  },
};

/** The index of `dir` built in a fresh Node process: what it retains, read there. */
export async function probeIndexMemory(dir: string): Promise<MemoryProbeResult> {
  const script = path.join(__dirname, 'indexMemoryProbe.js');
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script, dir], { maxBuffer: MB, timeout: 600_000 });
  return JSON.parse(stdout) as MemoryProbeResult;
}
