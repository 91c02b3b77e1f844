/**
 * `npm run bench [-- NAME...]`: runs the named benchmarks (all by default), one result line per
 * figure, then a summary line; exits 1 when any figure misses its target or a benchmark fails.
 */
import { batchFaultsBench } from './batchFaultsBench';
import { batchRateLimitBench } from './batchRateLimitBench';
import { batchThroughputBench } from './batchThroughputBench';
import { batchVsSequentialBench } from './batchVsSequentialBench';
import { cliStartupBench, shardScalingBench } from './cliBench';
import { clusterVsSklearnBench } from './clusterVsSklearnBench';
import { drawFrameBench } from './drawFrameBench';
import { exportMemoryBench } from './exportMemoryBench';
import { exportWdsBench } from './exportWdsBench';
import { hostLagBench } from './hostLagBench';
import { imagePrepBench } from './imagePrepBench';
import { index1mBench } from './index1mBench';
import { indexBench } from './indexBench';
import { indexMemoryBench } from './indexMemoryBench';
import { lintBench } from './lintBench';
import { lintHostLagBench } from './lintHostLagBench';
import { BenchResult, Benchmark, formatFigure, meetsTarget, resultLine } from './measure';
import { bleuVsNltkBench, ciderVsNltkBench } from './metricsVsNltkBench';
import { navigateBench } from './navigateBench';
import { panelCacheBench } from './panelCacheBench';
import { plotScalingBench } from './plotScalingBench';
import { galleryScrollBench } from './galleryScrollBench';
import { sharedTagsBench } from './sharedTagsBench';
import { replaceBench } from './replaceBench';
import { segmentClickBench } from './segmentClickBench';
import { SyntheticDatasets } from './syntheticDataset';
import { tagCompleteBench } from './tagCompleteBench';
import { taggerThroughputBench } from './taggerThroughputBench';
import { workerIpcBench } from './workerIpcBench';

const BENCHMARKS: readonly Benchmark[] = [
  indexBench, indexMemoryBench, index1mBench, navigateBench, imagePrepBench, batchThroughputBench, batchVsSequentialBench,
  batchRateLimitBench, batchFaultsBench, replaceBench, exportWdsBench, exportMemoryBench, workerIpcBench, hostLagBench,
  segmentClickBench, drawFrameBench, clusterVsSklearnBench, bleuVsNltkBench, ciderVsNltkBench, plotScalingBench, panelCacheBench,
  lintBench, lintHostLagBench, shardScalingBench, cliStartupBench, tagCompleteBench, taggerThroughputBench, galleryScrollBench, sharedTagsBench,
];

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}; choose from: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = names.length > 0 ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  const datasets = new SyntheticDatasets();
  const removeOnInterrupt = (): void => {
    datasets.dispose();
    process.exit(130);
  };
  process.once('SIGINT', removeOnInterrupt);
  const misses: string[] = [];
  let figures = 0;
  try {
    for (const bench of selected) {
      let results: readonly BenchResult[];
      try {
        results = [await bench.run(datasets)].flat();
      } catch (err) {
        // One broken benchmark must not hide the others' figures; it counts as a miss.
        console.log(`bench ${bench.name}: FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        misses.push(`${bench.name} (failed)`);
        continue;
      }
      for (const result of results) {
        const name = result.name ?? bench.name;
        figures++;
        console.log(resultLine(name, result));
        if (!meetsTarget(result)) misses.push(`${name} (${formatFigure(result)}, target ${result.op ?? '<='} ${result.target})`);
      }
    }
  } finally {
    datasets.dispose();
    process.off('SIGINT', removeOnInterrupt);
  }
  console.log(misses.length === 0
    ? `bench summary: all ${figures} figures met their targets`
    : `bench summary: ${misses.length} missed: ${misses.join('; ')}`);
  return misses.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
