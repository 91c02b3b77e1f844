import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { listIndex, TagCompleter } from '../src/core/tagging/tagCompletion';
import { TagCompleteRunner } from '../src/core/tagging/tagCompleteRunner';
import { countTags } from '../src/core/tagging/tagCounts';
import type { BooruTag } from '../src/core/tagging/booruTagList';
import { Benchmark, formatMs, note } from './measure';

const ROWS = 100_000;
const WORDS = ['hair', 'long', 'short', 'blue', 'red', 'eyes', 'dress', 'smile', 'open', 'mouth', 'school', 'uniform', 'thigh', 'highs', 'shirt', 'skirt', 'black', 'white', 'looking', 'at', 'viewer', 'holding', 'sword', 'cat', 'ears', 'tail', 'sky', 'cloud', 'outdoors', 'indoors', 'bow', 'ribbon', 'gloves', 'jacket', 'hat', 'flower', 'tree', 'water', 'night', 'day'];

/** The same names on every run: a linear congruential generator, not Math.random. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** The tag completion thread's transpiled twin (the extension runs dist/tagCompleteWorker.js). */
const THREAD = path.resolve(__dirname, '../src/core/tagging/tagCompleteThread.js');

/**
 * Autocomplete over a booru list of 100,000 rows (two aliases each, Danbooru-like names and a
 * Zipf-like count) and a dataset of 100,000 tag captions: p95 time of one keystroke's suggestions
 * while typing 300 tags letter by letter, plus misspellings and misses, as the extension asks them:
 * through the worker thread, leaving out a caption's 15 tags. Also noted: the same in-process, and
 * the extension host's longest turn while the thread indexes the list (the CSV's bytes).
 */
export const tagCompleteBench: Benchmark = {
  name: 'tag-complete',
  async run() {
    const random = seeded(18);
    const word = (): string => WORDS[Math.floor(random() * WORDS.length)];
    const rows: BooruTag[] = Array.from({ length: ROWS }, (_, i) => ({
      name: `${word()}_${word()}${i % 3 === 0 ? `_${word()}` : ''}_${i.toString(36)}`,
      category: i % 5,
      count: Math.floor(5_000_000 / (i + 1)),
      aliases: [`${word()}${i.toString(36)}`, `${word()}_${i}`],
    }));
    const captions = Array.from({ length: ROWS }, () => Array.from({ length: 15 }, () => `${word()} ${word()}`).join(', '));
    let started = performance.now();
    const counts = countTags(captions);
    note(`counting the tags of ${ROWS.toLocaleString('en-US')} captions: ${formatMs(performance.now() - started)} (${counts.length} tags)`);
    started = performance.now();
    const list = listIndex(rows);
    note(`indexing ${ROWS.toLocaleString('en-US')} list rows: ${formatMs(performance.now() - started)}`);
    started = performance.now();
    const completer = new TagCompleter(counts, list);
    note(`indexing the dataset's tags: ${formatMs(performance.now() - started)}`);
    const typed: string[] = [];
    for (let t = 0; t < 300; t++) {
      const target = t % 3 === 0 ? rows[Math.floor(random() * ROWS)].name.replace(/_/g, ' ') : `${word()} ${word()}`;
      for (let k = 1; k <= Math.min(target.length, 12); k++) typed.push(target.slice(0, k));
    }
    typed.push('zzqx', 'qqqq', 'xyzzy', 'hr blu', 'lng hr', 'ees');
    for (const q of typed.slice(0, 200)) completer.complete(q, 10); // warm up
    const times = typed.map((q) => {
      const t0 = performance.now();
      completer.complete(q, 10);
      return performance.now() - t0;
    }).sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)];
    note(`${times.length} keystrokes: median ${formatMs(times[times.length >> 1])}, max ${formatMs(times[times.length - 1])}`);
    note(`in-process: p95 ${formatMs(p95)}`);

    const csv = new TextEncoder().encode(rows.map((r) => `${r.name},${r.category},${r.count},"${r.aliases.join(',')}"`).join('\n'));
    const runner = new TagCompleteRunner(THREAD);
    try {
      const lag = monitorEventLoopDelay({ resolution: 1 });
      lag.enable();
      started = performance.now();
      await runner.setList('bench.csv', csv);
      lag.disable();
      note(`the worker thread parsed and indexed ${ROWS.toLocaleString('en-US')} CSV rows in ${formatMs(performance.now() - started)}; the host's longest delay meanwhile: ${formatMs(lag.max / 1e6)}`);
      runner.setDatasetTags(counts);
      const exclude = captions[0].split(', ');
      for (const q of typed.slice(0, 200)) await runner.complete(q, 10, exclude); // warm up
      const threaded: number[] = [];
      for (const q of typed) {
        const t0 = performance.now();
        await runner.complete(q, 10, exclude);
        threaded.push(performance.now() - t0);
      }
      threaded.sort((a, b) => a - b);
      const threadP95 = threaded[Math.floor(threaded.length * 0.95)];
      note(`through the thread: median ${formatMs(threaded[threaded.length >> 1])}, max ${formatMs(threaded[threaded.length - 1])}`);
      return { figure: threadP95, unit: ' ms', target: 5 };
    } finally {
      runner.dispose();
    }
  },
};
