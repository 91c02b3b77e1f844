import { DatasetIndex } from '../src/core/dataset/datasetIndex';
import { navigationTarget } from '../src/core/dataset/navigation';
import { Benchmark, median, note } from './measure';
import { LARGE_DATASET, SMALL_DATASET, SyntheticDatasets, benchIndexOptions } from './syntheticDataset';

const STEPS_PER_ROUND = 20_000;
const ROUNDS = 15;

/** One Next Image step as the editor runs it, on 100,000 images against 100 images. */
export const navigateBench: Benchmark = {
  name: 'navigate',
  async run(datasets: SyntheticDatasets) {
    const large = new Walker(await DatasetIndex.build(datasets.get(LARGE_DATASET), benchIndexOptions));
    const small = new Walker(await DatasetIndex.build(datasets.get(SMALL_DATASET), benchIndexOptions));
    const firstPassNs = large.stepNs(large.index.size); // builds each folder's name map on first visit
    small.stepNs(STEPS_PER_ROUND);
    const largeNs: number[] = [];
    const smallNs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      largeNs.push(large.stepNs(STEPS_PER_ROUND));
      smallNs.push(small.stepNs(STEPS_PER_ROUND));
    }
    const l = median(largeNs);
    const s = median(smallNs);
    note(`per step: ${l.toFixed(0)} ns on ${large.index.size} images, ${s.toFixed(0)} ns on ${small.index.size} images ` +
      `(median of ${ROUNDS} rounds of ${STEPS_PER_ROUND}); first pass over ${large.index.size}: ${firstPassNs.toFixed(0)} ns`);
    return { figure: l / s, unit: 'x', target: 1.5 };
  },
};

/** Walks an index with Next, carrying the current image as a path the way the editor does. */
class Walker {
  private current: string;

  constructor(readonly index: DatasetIndex) {
    this.current = index.imagePath(index.at(0)!);
  }

  /** Mean nanoseconds per step over `steps` steps. */
  stepNs(steps: number): number {
    const start = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) {
      const target = navigationTarget(this.index, this.current, 'next');
      if (!target) throw new Error(`no next image after ${this.current}`);
      this.current = this.index.imagePath(target);
    }
    return Number(process.hrtime.bigint() - start) / steps;
  }
}
