/** What both BLEU conventions need from one image: lengths and clipped n-gram matches. */
import { CountedItem, MAX_ORDER } from './ngramIndex';

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

/** The reference length closest to `candidateLength`; ties go to the shorter reference. */
export function closestReferenceLength(referenceLengths: readonly number[], candidateLength: number): number {
  let best = referenceLengths[0];
  for (const length of referenceLengths) {
    const distance = Math.abs(length - candidateLength);
    const bestDistance = Math.abs(best - candidateLength);
    if (distance < bestDistance || (distance === bestDistance && length < best)) best = length;
  }
  return best;
}

/** BLEU statistics of every item; `size` bounds the n-gram ids (NgramIndex.size). */
export function bleuStats(items: readonly CountedItem[], size: number): BleuStats[] {
  // The most often any one reference has each n-gram, kept per id and cleared after each item.
  const referenceMax = new Int32Array(size);
  return items.map((item) => {
    for (const reference of item.references) {
      for (const order of reference.orders) {
        for (let i = 0; i < order.ids.length; i++) {
          if (order.counts[i] > referenceMax[order.ids[i]]) referenceMax[order.ids[i]] = order.counts[i];
        }
      }
    }
    const matches: number[] = [];
    const candidateNgrams: number[] = [];
    for (let n = 1; n <= MAX_ORDER; n++) {
      const order = item.candidate.orders[n - 1];
      let matched = 0;
      for (let i = 0; i < order.ids.length; i++) matched += Math.min(order.counts[i], referenceMax[order.ids[i]]);
      matches.push(matched);
      candidateNgrams.push(Math.max(0, item.candidate.length - n + 1));
    }
    for (const reference of item.references) {
      for (const order of reference.orders) for (const id of order.ids) referenceMax[id] = 0;
    }
    const length = item.candidate.length;
    return {
      candidateLength: length,
      closestReferenceLength: closestReferenceLength(item.references.map((r) => r.length), length),
      matches,
      candidateNgrams,
    };
  });
}
