import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCaptionSources } from '../src/core/captions/readCaptions';
import { DatasetBoundary } from '../src/core/files/datasetBoundary';
import { sharedTags } from '../src/core/tagging/sharedTags';
import { Benchmark, formatMs, median, note, timeMs } from './measure';

const SELECTION = 10_000;
const RUNS = 5;
const VOCABULARY = 3000;

/**
 * `shared-tags`: the Gallery's shared-tags pane for a 10,000-image selection (booru-style tag
 * captions: a trigger word, a few common tags, 20-40 tags from a 3,000-tag vocabulary) ÷ reading
 * those captions from disk, as the bulk edits read them (warm file cache, medians of runs).
 */
export const sharedTagsBench: Benchmark = {
  name: 'shared-tags',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-shared-tags-'));
    try {
      const pairs = writeCaptions(root);
      const boundary = DatasetBoundary.atSync(root);
      const read = async (): Promise<string[]> => {
        const { sources, failures } = await readCaptionSources(pairs, boundary);
        if (failures.length > 0) throw new Error(`could not read ${failures[0].captionPath}: ${failures[0].message}`);
        return sources.map((s) => s.text ?? '');
      };
      const texts = await read(); // warms the file cache
      const check = sharedTags(texts);
      if (check.all.length !== 3 || check.tagCaptions !== SELECTION) throw new Error(`unexpected pane: ${check.all.length} shared tags over ${check.tagCaptions} captions`);
      const readMs: number[] = [];
      const paneMs: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        readMs.push(await timeMs(read));
        paneMs.push(await timeMs(() => sharedTags(texts)));
      }
      note(`reading ${SELECTION.toLocaleString('en')} captions: median ${formatMs(median(readMs))}; the pane: median ${formatMs(median(paneMs))} (${check.some.length} partial tags)`);
      return { figure: median(paneMs) / median(readMs), unit: 'x reading', target: 1.5 };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/** Writes the captions (deterministic: a small LCG picks the tags) and returns their pairs. */
function writeCaptions(root: string): Array<{ imagePath: string; captionPath: string }> {
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pairs: Array<{ imagePath: string; captionPath: string }> = [];
  for (let i = 0; i < SELECTION; i++) {
    const tags = new Set(['ohwx', '1girl', 'solo']);
    const count = 20 + next(21);
    while (tags.size < count) tags.add(`tag_${next(VOCABULARY)} ${next(4) === 0 ? 'long descriptive words' : 'x'}`.trim());
    const order = [...tags];
    // the shared tags are not always in front: the pane finds their common order
    order.splice(next(order.length), 0, order.splice(1, 1)[0]);
    const captionPath = path.join(root, `img${i}.txt`);
    writeFileSync(captionPath, `${order.join(', ')}\n`);
    pairs.push({ imagePath: path.join(root, `img${i}.jpg`), captionPath });
  }
  return pairs;
}
