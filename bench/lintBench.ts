import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCaptionSources } from '../src/core/captions/readCaptions';
import { DatasetBoundary } from '../src/core/files/datasetBoundary';
import { lintCaptions } from '../src/core/lint/lintCaptions';
import { lintConfig } from '../src/core/lint/lintConfig';
import { Benchmark, formatMs, median, note, timeMs } from './measure';
import { writeCaptionFiles } from './syntheticDataset';

const RUNS = 3;
const SUBJECTS = ['a woman', 'a young man', 'an old dog', 'two children', 'a cat', 'a cyclist', 'a street vendor', 'a group of friends'];
const ACTIONS = ['walking past', 'standing next to', 'looking at', 'sitting near', 'running toward', 'leaning on'];
const OBJECTS = ['a red car', 'a blue dress', 'a green hat', 'a wooden bench', 'a parked bicycle', 'an old fountain'];
const PLACES = ['on a busy city street', 'in a quiet park', 'at the beach', 'inside a small cafe', 'near a train station'];
/** One caption in ten carries a problem, so the rules' reporting and fixes are timed too. */
const FLAWS = [(c: string) => `The image shows ${c}`, (c: string) => `Caption: ${c}`, (c: string) => `<think>ok</think> ${c}`,
  (c: string) => `${c} **bright** (sunny`, (c: string) => `${c}, ${c}, ${c}`, () => '   ', (c: string) => `${c.slice(0, 40)}`];

/**
 * Linting 100,000 captions of ~150 characters with every rule but the model-based ones (trigger word
 * on), against reading the same files as an operation does (readCaptionSources): the lint ÷ the read.
 */
export const lintBench: Benchmark = {
  name: 'lint-100k',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-lint-'));
    try {
      const pairs = writeCaptions(root);
      const boundary = DatasetBoundary.atSync(root);
      const read = async (): Promise<{ id: string; text: string }[]> => {
        const { sources, failures } = await readCaptionSources(pairs, boundary);
        if (failures.length > 0) throw new Error(`could not read ${failures[0].captionPath}: ${failures[0].message}`);
        return sources.map((s) => ({ id: s.captionPath, text: s.text ?? '' }));
      };
      const captions = await read(); // also warms the file system cache
      const config = lintConfig({ trigger: { word: 'ohwx' } });
      const first = lintCaptions(captions, { config });
      const found = first.problems.reduce((n, ps) => n + ps.length, 0);
      if (found < captions.length) throw new Error(`only ${found} problems in ${captions.length} captions: the rules did not run`);
      const readMs: number[] = [];
      const lintMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        readMs.push(await timeMs(read));
        lintMs.push(await timeMs(() => lintCaptions(captions, { config })));
      }
      const reading = median(readMs);
      const linting = median(lintMs);
      note(`${captions.length} captions, ${found} problems: lint ${formatMs(linting)}, read ${formatMs(reading)} (median of ${RUNS})`);
      return { figure: linting / reading, unit: 'x read', target: 3 };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/** 100,000 caption files with a trigger word, every tenth with a flaw, each ending with a line break. */
export function writeCaptions(root: string): { imagePath: string; captionPath: string }[] {
  return writeCaptionFiles(root, (n, pick) => {
    let caption = `ohwx, ${pick(SUBJECTS)} ${pick(ACTIONS)} ${pick(OBJECTS)} ${pick(PLACES)}, ${pick(SUBJECTS)} and ${pick(OBJECTS)} in view.`;
    if (n % 10 === 0) caption = FLAWS[(n / 10) % FLAWS.length](caption);
    return `${caption}\n`;
  });
}
