/** `npm run bench [-- NAME...]`: runs the named benchmarks (all by default), one result line each. */
import { batchRateLimitBench } from './batchRateLimitBench';
import { batchThroughputBench } from './batchThroughputBench';
import { exportMemoryBench } from './exportMemoryBench';
import { exportWdsBench } from './exportWdsBench';
import { hostLagBench } from './hostLagBench';
import { imagePrepBench } from './imagePrepBench';
import { indexBench } from './indexBench';
import { indexMemoryBench } from './indexMemoryBench';
import { Benchmark, resultLine } from './measure';
import { navigateBench } from './navigateBench';
import { replaceBench } from './replaceBench';
import { SyntheticDatasets } from './syntheticDataset';
import { workerIpcBench } from './workerIpcBench';

const BENCHMARKS: readonly Benchmark[] = [
  indexBench, indexMemoryBench, navigateBench, imagePrepBench, batchThroughputBench, batchRateLimitBench, replaceBench,
  exportWdsBench, exportMemoryBench, workerIpcBench, hostLagBench,
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
  try {
    for (const bench of selected) console.log(resultLine(bench.name, await bench.run(datasets)));
  } finally {
    datasets.dispose();
    process.off('SIGINT', removeOnInterrupt);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
