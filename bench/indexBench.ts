import { spawn } from 'node:child_process';
import { DatasetIndex } from '../src/core/dataset/datasetIndex';
import { Benchmark, formatMs, median, note, timeMs } from './measure';
import { LARGE_DATASET, SyntheticDatasets, benchIndexOptions, imageCount } from './syntheticDataset';

const RUNS = 5;

/** Building the index of 100,000 images, against `find` listing the same tree (both with a warm cache). */
export const indexBench: Benchmark = {
  name: 'index',
  async run(datasets: SyntheticDatasets) {
    const dir = datasets.get(LARGE_DATASET);
    await listWithFind(dir); // warms the file system cache for both
    await buildIndex(dir);
    const findMs: number[] = [];
    const oursMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      findMs.push(await timeMs(() => listWithFind(dir)));
      oursMs.push(await timeMs(() => buildIndex(dir)));
    }
    const find = median(findMs);
    const ours = median(oursMs);
    note(`${imageCount(LARGE_DATASET)} images: DatasetIndex.build ${formatMs(ours)}, find ${formatMs(find)} (median of ${RUNS})`);
    return { figure: ours / find, unit: 'x find', target: 3 };
  },
};

/** What opening a dataset costs: the walk, then the dataset order the view and editor use. */
async function buildIndex(dir: string): Promise<void> {
  const index = await DatasetIndex.build(dir, benchIndexOptions);
  if (index.size !== imageCount(LARGE_DATASET)) throw new Error(`index found ${index.size} images in ${dir}`);
}

/** `find DIR -type f`, its listing drained and dropped. */
export function listWithFind(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const find = spawn('find', [dir, '-type', 'f'], { stdio: ['ignore', 'pipe', 'inherit'] });
    find.stdout.on('data', () => undefined); // drain: the listing itself is not needed
    find.on('error', reject);
    find.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`find exited with ${code}`))));
  });
}
