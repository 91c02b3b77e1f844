/**
 * `bleu-vs-nltk` and `cider-vs-nltk`: corpus BLEU-4 (COCO convention) and CIDEr-D over 40,000 seeded
 * candidate / 5-reference sets (Flickr8k's size), from token lists to the score, ÷ NLTK's corpus_bleu on the
 * same sets in the same run. Ours is the median of three runs (the first is reported too); NLTK runs once.
 */
import { ciderD, cocoBleu, nltkCorpusBleu } from '../src/core/metrics/captionMetrics';
import { ScoredItem } from '../src/core/metrics/metricTypes';
import { Benchmark, formatMs, median, note, timeMs } from './measure';
import { NltkRun, nltkCorpusBleu4 } from './nltkBleuBaseline';
import { syntheticCaptionSets } from './syntheticCaptionSets';

const SETS = 40_000;
const RUNS = 3;

let shared: { items: ScoredItem[]; nltk: NltkRun } | undefined;

/** The sets and NLTK's run on them, made once when both benchmarks run. */
function baseline(): { items: ScoredItem[]; nltk: NltkRun } {
  if (!shared) {
    const items = syntheticCaptionSets(SETS, 13);
    const nltk = nltkCorpusBleu4(items);
    note(`NLTK corpus_bleu over ${SETS} sets: ${formatMs(nltk.ms)}, BLEU-4 ${nltk.bleu4.toFixed(6)}`);
    // The NLTK convention of ours must give NLTK's number on these sets too, or the timing compares unlike work.
    const ours = nltkCorpusBleu(items)[3];
    if (Math.abs(ours - nltk.bleu4) > 1e-9) throw new Error(`our NLTK-convention BLEU-4 ${ours} differs from NLTK's ${nltk.bleu4}`);
    shared = { items, nltk };
  }
  return shared;
}

async function timed(work: () => unknown): Promise<{ first: number; median: number }> {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) times.push(await timeMs(work));
  return { first: times[0], median: median(times) };
}

export const bleuVsNltkBench: Benchmark = {
  name: 'bleu-vs-nltk',
  async run() {
    const { items, nltk } = baseline();
    let bleu4 = 0;
    const ms = await timed(() => (bleu4 = cocoBleu(items)[3]));
    note(`ours (COCO convention) ${formatMs(ms.median)} median of ${RUNS}, first run ${formatMs(ms.first)}, BLEU-4 ${bleu4.toFixed(6)}; NLTK ${formatMs(nltk.ms)}`);
    return { figure: ms.median / nltk.ms, unit: 'x NLTK corpus_bleu', target: 0.2 };
  },
};

export const ciderVsNltkBench: Benchmark = {
  name: 'cider-vs-nltk',
  async run() {
    const { items, nltk } = baseline();
    let cider = 0;
    const ms = await timed(() => (cider = ciderD(items)));
    note(`ours CIDEr-D ${formatMs(ms.median)} median of ${RUNS}, first run ${formatMs(ms.first)}, CIDEr-D ${cider.toFixed(6)}; NLTK corpus_bleu ${formatMs(nltk.ms)}`);
    return { figure: ms.median / nltk.ms, unit: 'x NLTK corpus_bleu', target: 0.5 };
  },
};
