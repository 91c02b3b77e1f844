/**
 * BLEU as NLTK 3.8 computes it: `corpus_bleu` with uniform weights (BLEU-n: 1/n for each of the first n
 * orders, no smoothing) and `sentence_bleu` BLEU-4 with `SmoothingFunction().method1`. Where it differs
 * from the COCO convention: each sentence counts at least one n-gram of every order in the precision's
 * denominator (a one-word caption adds 1 bigram that cannot match); no epsilons; the brevity penalty is 1
 * when c > r, 0 when c = 0, exp(1 - r/c) otherwise (so 1 when c = r); the score is 0 outright when no
 * unigram matches; an order with no match counts as the smallest normal double (the score is then ~0,
 * not exactly 0) unless method1 replaces its 0 matches by 0.1.
 */
import { BleuStats } from './bleuStats';
import { Bleu1To4 } from './metricTypes';
import { MAX_ORDER } from './ngramIndex';

/** Python's sys.float_info.min, what NLTK's method0 puts in place of a zero precision. */
const SMALLEST_NORMAL_DOUBLE = 2.2250738585072014e-308;
/** SmoothingFunction's default epsilon, added to a zero match count by method1. */
const METHOD1_EPSILON = 0.1;

function brevityPenalty(referenceLength: number, candidateLength: number): number {
  if (candidateLength > referenceLength) return 1;
  if (candidateLength === 0) return 0;
  return Math.exp(1 - referenceLength / candidateLength);
}

/** exp of the weighted sum of log precisions for the first `orders` orders, times the penalty. */
function geometricMean(precisions: readonly number[], orders: number, penalty: number): number {
  let sum = 0;
  for (let k = 0; k < orders; k++) if (precisions[k] > 0) sum += Math.log(precisions[k]) / orders;
  return penalty * Math.exp(sum);
}

/** NLTK corpus_bleu for BLEU-1..4 (weights (1), (1/2, 1/2), (1/3 x 3), (1/4 x 4)). */
export function nltkCorpusBleuFromStats(stats: readonly BleuStats[]): Bleu1To4 {
  const numerators = new Array<number>(MAX_ORDER).fill(0);
  const denominators = new Array<number>(MAX_ORDER).fill(0);
  let candidateLength = 0;
  let referenceLength = 0;
  for (const s of stats) {
    candidateLength += s.candidateLength;
    referenceLength += s.closestReferenceLength;
    for (let k = 0; k < MAX_ORDER; k++) {
      numerators[k] += s.matches[k];
      denominators[k] += Math.max(1, s.candidateNgrams[k]);
    }
  }
  if (numerators[0] === 0) return [0, 0, 0, 0];
  const precisions = numerators.map((m, k) => (m === 0 ? SMALLEST_NORMAL_DOUBLE : m / denominators[k]));
  const penalty = brevityPenalty(referenceLength, candidateLength);
  return [1, 2, 3, 4].map((orders) => geometricMean(precisions, orders, penalty)) as unknown as Bleu1To4;
}

/** NLTK sentence_bleu (BLEU-4, uniform weights) with SmoothingFunction().method1, for one image. */
export function nltkSentenceBleu4Method1(s: BleuStats): number {
  if (s.matches[0] === 0) return 0;
  const precisions = s.matches.map((m, k) => {
    const denominator = Math.max(1, s.candidateNgrams[k]);
    return (m === 0 ? METHOD1_EPSILON : m) / denominator;
  });
  return geometricMean(precisions, MAX_ORDER, brevityPenalty(s.closestReferenceLength, s.candidateLength));
}
