/**
 * `panel-cache`: re-opening the Explore panel on an unchanged 20,000-caption dataset ÷ the first open.
 * Both sides do what the panel's host does before it can post a layout: the first open hashes the
 * captions into the cache key, misses, lays them out in the explore thread (TF-IDF, SVD, k-means,
 * PCA, terms) and stores the result; a re-open hashes them again and reads the stored layout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExploreRunner } from '../src/core/explore/exploreRunner';
import type { ExploreOptions } from '../src/core/explore/exploreTypes';
import { LayoutCache } from '../src/core/explore/layoutCache';
import { Benchmark, formatMs, median, note, timeMs } from './measure';
import { syntheticCaptions } from './syntheticCaptions';

const CAPTIONS = 20_000;
const OPTIONS: ExploreOptions = { k: 10, reducedDims: 50, projection: 'pca', seed: 0, restarts: 4 };
const ROUNDS = 3;

export const panelCacheBench: Benchmark = {
  name: 'panel-cache',
  async run() {
    const { texts } = syntheticCaptions(CAPTIONS, 5);
    const threadPath = path.join(__dirname, '../src/core/explore/exploreThread.js');
    const firsts: number[] = [];
    const reopens: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const folder = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-layouts-'));
      // A fresh thread each round: the first open of a session has no reduction kept in memory either.
      const runner = new ExploreRunner({ threadPath });
      try {
        const cache = new LayoutCache(folder);
        const open = async (): Promise<number> => {
          const input = { kind: 'texts' as const, texts: [...texts] };
          const key = cache.key(input, OPTIONS, 'builtin');
          const hit = await cache.get(key);
          if (hit) return hit.count;
          const layout = await runner.layout(input, OPTIONS);
          await cache.put(key, layout);
          return layout.count;
        };
        firsts.push(await timeMs(open));
        reopens.push(await timeMs(open));
      } finally {
        runner.dispose();
        rmSync(folder, { recursive: true, force: true });
      }
    }
    const first = median(firsts);
    const reopen = median(reopens);
    note(`${CAPTIONS} captions: first open ${formatMs(first)} (compute + store), re-open ${formatMs(reopen)} (hash + read), medians of ${ROUNDS}`);
    return { figure: reopen / first, unit: 'x the first open', target: 0.2 };
  },
};
