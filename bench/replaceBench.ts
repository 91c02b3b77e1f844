import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCaptionSources } from '../src/core/captions/readCaptions';
import { CaptionSource, EditPlan } from '../src/core/edits/editPlan';
import { PatternRunner } from '../src/core/patterns/patternRunner';
import { Benchmark, formatMs, median, note, timeMs } from './measure';
import { writeCaptionFiles } from './syntheticDataset';
import { DatasetBoundary } from '../src/core/files/datasetBoundary';

const RUNS = 3;
const SED_SCRIPT = 's/(red|blue|green) (car|dress|hat)/\\2 in \\1/g';
const OPTIONS = { find: '(red|blue|green) (car|dress|hat)', replace: '$2 in $1', regex: true, caseSensitive: true, wholeWord: false };

/**
 * A regex find/replace plan over 100,000 captions against `sed -E` on the same files: reading them,
 * sending them to the pattern thread, matching there and the plan's way back, as the command does.
 */
export const replaceBench: Benchmark = {
  name: 'replace',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-replace-'));
    const patterns = new PatternRunner({ threadPath: path.resolve(__dirname, '../src/core/patterns/patternThread.js') });
    const planWithOurs = async (pairs: readonly { imagePath: string; captionPath: string }[]): Promise<{ sources: CaptionSource[]; plan: EditPlan }> => {
      const { sources, failures } = await readCaptionSources(pairs, DatasetBoundary.atSync(root));
      if (failures.length > 0) throw new Error(`could not read ${failures[0].captionPath}: ${failures[0].message}`);
      return { sources, plan: await patterns.findReplace(sources, OPTIONS) };
    };
    try {
      const pairs = writeCaptions(root);
      const list = path.join(root, 'captions.list');
      writeFileSync(list, pairs.map((p) => p.captionPath).join('\0'));
      const first = await planWithOurs(pairs); // also warms the file system cache for both
      checkAgainstSed(list, first.sources, first.plan);
      const sedMs: number[] = [];
      const oursMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        sedMs.push(await timeMs(() => runSed(list)));
        oursMs.push(await timeMs(() => planWithOurs(pairs)));
      }
      const sed = median(sedMs);
      const ours = median(oursMs);
      note(`${pairs.length} captions, ${first.plan.changes.length} changed, ${first.plan.matches} matches: ` +
        `read + plan ${formatMs(ours)}, sed -E ${formatMs(sed)} (median of ${RUNS})`);
      return { figure: ours / sed, unit: 'x sed', target: 2 };
    } finally {
      patterns.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/** The same substitution by both, checked once on the whole output so the timings compare like with like. */
function checkAgainstSed(list: string, sources: readonly CaptionSource[], plan: EditPlan): void {
  const sed = spawnSync('xargs', ['-0', '-a', list, 'sed', '-E', SED_SCRIPT], { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (sed.status !== 0) throw new Error(`sed failed: ${sed.stderr}`);
  const after = new Map(plan.changes.map((c) => [c.captionPath, c.after]));
  const ours = sources.map((s) => after.get(s.captionPath) ?? s.text).join('');
  if (ours !== sed.stdout) throw new Error('the plan and sed -E disagree on the replaced text');
  if (plan.changes.length === 0) throw new Error('the benchmark pattern matched nothing');
}

function runSed(list: string): Promise<void> {
  const devNull = openSync('/dev/null', 'w');
  return new Promise<void>((resolve, reject) => {
    const sed = spawn('xargs', ['-0', '-a', list, 'sed', '-E', SED_SCRIPT], { stdio: ['ignore', devNull, 'inherit'] });
    sed.on('error', reject);
    sed.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`xargs sed exited with ${code}`))));
  }).finally(() => closeSync(devNull));
}

const SUBJECTS = ['a woman', 'a young man', 'an old dog', 'two children', 'a cat', 'a cyclist', 'a street vendor', 'a group of friends'];
const ACTIONS = ['walking past', 'standing next to', 'looking at', 'sitting near', 'running toward', 'leaning on'];
const OBJECTS = ['a red car', 'a blue dress', 'a green hat', 'a wooden bench', 'a parked bicycle', 'a red dress', 'a blue car', 'an old fountain'];
const PLACES = ['on a busy city street', 'in a quiet park', 'at the beach', 'inside a small cafe', 'near a train station', 'in a snowy forest'];
const DETAILS = ['at night with neon lights reflecting on the wet pavement', 'in warm afternoon sunlight', 'under a cloudy sky',
  'with a blurred background and shallow depth of field', 'photographed from a low angle', 'in soft morning fog'];

/** 100,000 caption files of about 150 characters, each ending with a line break. */
function writeCaptions(root: string): { imagePath: string; captionPath: string }[] {
  return writeCaptionFiles(root, (_, pick) => {
    const caption = `${pick(SUBJECTS)} ${pick(ACTIONS)} ${pick(OBJECTS)} ${pick(PLACES)}, ${pick(DETAILS)}, ${pick(SUBJECTS)} and ${pick(OBJECTS)} in view.\n`;
    return caption.charAt(0).toUpperCase() + caption.slice(1);
  });
}
