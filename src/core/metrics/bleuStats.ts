/** What both BLEU conventions need from one image: lengths and clipped n-gram matches. */
import { CountedSet, MAX_ORDER, ngramStart } from './ngramIndex';

/** One image's BLEU statistics; index k of the arrays is for n-grams of length k + 1. */
export interface BleuStats {
  readonly candidateLength: number;
  /** The reference length closest to the candidate's, the shorter one on a tie (both conventions' rule). */
  readonly closestReferenceLength: number;
  /** Candidate n-grams found in a reference, each counted at most as often as the reference richest in it has it. */
  readonly matches: readonly number[];
  /** Candidate n-grams of each length: max(0, length - n + 1). */
  readonly candidateNgrams: readonly number[];
}

/** The length among `referenceLengths[from..to)` closest to `candidateLength`; ties go to the shorter reference. */
export function closestReferenceLength(referenceLengths: ArrayLike<number>, candidateLength: number, from = 0, to = referenceLengths.length): number {
  let best = referenceLengths[from];
  for (let i = from + 1; i < to; i++) {
    const length = referenceLengths[i];
    const distance = Math.abs(length - candidateLength);
    const bestDistance = Math.abs(best - candidateLength);
    if (distance < bestDistance || (distance === bestDistance && length < best)) best = length;
  }
  return best;
}

/** BLEU statistics of every counted item. */
export function bleuStats(set: CountedSet): BleuStats[] {
  const { ids, counts, firstSentence, lengths } = set;
  // The most often any one reference has each n-gram, kept per id and cleared after each item.
  const referenceMax = new Int32Array(set.size);
  const stats: BleuStats[] = [];
  for (let t = 0; t < set.itemCount; t++) {
    const candidate = firstSentence[t];
    const end = firstSentence[t + 1];
    const referencesFrom = ngramStart(set, candidate + 1, 0);
    const referencesTo = ngramStart(set, end - 1, MAX_ORDER);
    for (let s = referencesFrom; s < referencesTo; s++) if (counts[s] > referenceMax[ids[s]]) referenceMax[ids[s]] = counts[s];
    const matches: number[] = [];
    const candidateNgrams: number[] = [];
    for (let k = 0; k < MAX_ORDER; k++) {
      let matched = 0;
      for (let s = ngramStart(set, candidate, k); s < ngramStart(set, candidate, k + 1); s++) matched += Math.min(counts[s], referenceMax[ids[s]]);
      matches.push(matched);
      candidateNgrams.push(Math.max(0, lengths[candidate] - k));
    }
    for (let s = referencesFrom; s < referencesTo; s++) referenceMax[ids[s]] = 0;
    stats.push({
      candidateLength: lengths[candidate],
      closestReferenceLength: closestReferenceLength(lengths, lengths[candidate], candidate + 1, end),
      matches,
      candidateNgrams,
    });
  }
  return stats;
}
