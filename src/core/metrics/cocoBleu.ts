/**
 * BLEU-1..4 as the COCO caption evaluation computes it (pycocoevalcap's bleu_scorer with option "closest").
 * Its quirks are kept on purpose, because they are what published numbers use: 1e-15 is added to every
 * match count and 1e-9 to every n-gram count (so a precision of 0 / 0 is 1e-6, and a perfect one is a hair
 * under 1), and the brevity penalty is exp(1 - 1/ratio) with ratio = (c + 1e-15) / (r + 1e-9), applied only
 * while ratio < 1. BLEU-n is the n-th root of the running product of the precisions 1..n.
 */
import { BleuStats } from './bleuStats';
import { Bleu1To4 } from './metricTypes';
import { MAX_ORDER } from './ngramIndex';

const TINY = 1e-15;
const SMALL = 1e-9;

/** BLEU-1..4 from totals of lengths, matches and n-gram counts (one image's or the corpus's). */
function cocoBleuOf(candidateLength: number, referenceLength: number, matches: readonly number[], guesses: readonly number[]): Bleu1To4 {
  const scores: number[] = [];
  let product = 1;
  for (let k = 0; k < MAX_ORDER; k++) {
    product *= (matches[k] + TINY) / (guesses[k] + SMALL);
    scores.push(product ** (1 / (k + 1)));
  }
  const ratio = (candidateLength + TINY) / (referenceLength + SMALL);
  if (ratio < 1) {
    const penalty = Math.exp(1 - 1 / ratio);
    for (let k = 0; k < MAX_ORDER; k++) scores[k] *= penalty;
  }
  return scores as unknown as Bleu1To4;
}

/** Corpus BLEU-1..4 (sums of every image's counts and lengths) and each image's own, COCO convention. */
export function cocoBleuFromStats(stats: readonly BleuStats[]): { corpus: Bleu1To4; perImage: Bleu1To4[] } {
  const matches = new Array<number>(MAX_ORDER).fill(0);
  const guesses = new Array<number>(MAX_ORDER).fill(0);
  let candidateLength = 0;
  let referenceLength = 0;
  const perImage = stats.map((s) => {
    candidateLength += s.candidateLength;
    referenceLength += s.closestReferenceLength;
    for (let k = 0; k < MAX_ORDER; k++) {
      matches[k] += s.matches[k];
      guesses[k] += s.candidateNgrams[k];
    }
    return cocoBleuOf(s.candidateLength, s.closestReferenceLength, s.matches, s.candidateNgrams);
  });
  return { corpus: cocoBleuOf(candidateLength, referenceLength, matches, guesses), perImage };
}
