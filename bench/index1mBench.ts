import { DatasetIndex } from '../src/core/dataset/datasetIndex';
import { listWithFind } from './indexBench';
import { probeIndexMemory } from './indexMemoryBench';
import { Benchmark, formatMs, median, note, timeMs } from './measure';
import { MILLION_DATASET, benchIndexOptions, cachedDataset, imageCount } from './syntheticDataset';

const RUNS = 3;
const MB = 1024 * 1024;

/**
 * 1,000,000 images with a caption each (2,000,000 files) in 10,000 folders: building the index ÷ `find`
 * over the same tree (warm cache), and the memory the index retains (a fresh process, after a full gc).
 * The tree is generated once into the git-ignored .bench-cache/ and kept for later runs.
 */
export const index1mBench: Benchmark = {
  name: 'index-1m',
  async run() {
    const { dir, generatedMs } = cachedDataset(MILLION_DATASET);
    const images = imageCount(MILLION_DATASET);
    if (generatedMs !== undefined) note(`generated ${images.toLocaleString('en-US')} images and their captions in ${dir} in ${(generatedMs / 1000).toFixed(0)} s (kept; delete .bench-cache/ to reclaim it)`);
    const build = async (): Promise<void> => {
      const index = await DatasetIndex.build(dir, benchIndexOptions);
      const counts = index.counts();
      if (counts.images !== images || counts.withCaptionFile !== images) throw new Error(`index found ${counts.images} images, ${counts.withCaptionFile} with a caption file, in ${dir}`);
    };
    await listWithFind(dir); // warms the file system cache for both
    await build();
    const findMs: number[] = [];
    const oursMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      findMs.push(await timeMs(() => listWithFind(dir)));
      oursMs.push(await timeMs(build));
    }
    const memory = await probeIndexMemory(dir);
    const [find, ours] = [median(findMs), median(oursMs)];
    note(`${images.toLocaleString('en-US')} images + captions in 10,000 folders: DatasetIndex.build ${formatMs(ours)}, find ${formatMs(find)} (median of ${RUNS}; ` +
      `ratios ${oursMs.map((o, i) => (o / findMs[i]).toFixed(2)).join(', ')})`);
    note(`retained heap+external ${(memory.retainedBytes / MB).toFixed(1)} MB, RSS growth ${(memory.rssBytes / MB).toFixed(1)} MB, ` +
      `peak heap+external while building ${(memory.peakDuringBuildBytes / MB).toFixed(1)} MB`);
    return [
      { figure: ours / find, unit: 'x find', target: 3 },
      { name: 'index-1m-memory', figure: memory.retainedBytes / MB, unit: ' MB', target: 250 },
    ];
  },
};
