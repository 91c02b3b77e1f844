/**
 * CIDEr-D as the COCO caption evaluation computes it (pycocoevalcap's Cider, n = 1..4, sigma 6).
 * Each sentence becomes, per n-gram length, a vector of tf x idf weights with
 * idf = log(images in the set) - log(max(1, images whose references contain the n-gram)), document
 * frequencies counted over the references of the set being scored. Against each reference: the sum over
 * the candidate's n-grams of min(candidate weight, reference weight) x reference weight (the clipping that
 * makes it CIDEr-D), over the product of the two norms (skipped when either norm is 0), times the length
 * penalty exp(-delta^2 / (2 sigma^2)). An image's score is the mean over n = 1..4 of those values summed over
 * its references, divided by the number of references, times 10; the corpus score is the mean over images.
 * Kept from the reference code on purpose: delta is the difference of the two sentences' bigram counts
 * (its "length" adds up the counts of 2-grams), and one image alone scores 0 (log 1 = 0 zeroes every weight).
 */
import { CountedSet, MAX_ORDER, ngramStart } from './ngramIndex';

const SIGMA = 6;

/** Per-image CIDEr-D of every counted item and their mean. */
export function ciderDFromCounts(set: CountedSet): { corpus: number; perImage: number[] } {
  const { ids, counts, firstSentence, itemCount } = set;
  const documentFrequency = new Int32Array(set.size);
  const lastImage = new Int32Array(set.size).fill(-1);
  for (let t = 0; t < itemCount; t++) {
    const to = ngramStart(set, firstSentence[t + 1] - 1, MAX_ORDER);
    for (let s = ngramStart(set, firstSentence[t] + 1, 0); s < to; s++) {
      if (lastImage[ids[s]] !== t) {
        lastImage[ids[s]] = t;
        documentFrequency[ids[s]]++;
      }
    }
  }
  const logImages = Math.log(itemCount);
  // Every stored n-gram's tf-idf weight, parallel to the store; two sentences' norms per order.
  const weights = new Float64Array(ids.length);
  const norms = new Float64Array(MAX_ORDER * 2);
  /** Weighs a sentence's n-grams, puts its norms at `normsAt`, and returns its CIDEr "length" (its bigram count). */
  const weigh = (sentence: number, normsAt: number): number => {
    for (let k = 0; k < MAX_ORDER; k++) {
      let squares = 0;
      for (let s = ngramStart(set, sentence, k); s < ngramStart(set, sentence, k + 1); s++) {
        weights[s] = counts[s] * (logImages - Math.log(Math.max(1, documentFrequency[ids[s]])));
        squares += weights[s] * weights[s];
      }
      norms[normsAt + k] = Math.sqrt(squares);
    }
    let bigrams = 0;
    for (let s = ngramStart(set, sentence, 1); s < ngramStart(set, sentence, 2); s++) bigrams += counts[s];
    return bigrams;
  };

  // A reference's weights laid out by n-gram id while the candidate is compared with it, then cleared.
  const referenceWeight = new Float64Array(set.size);
  const sums = new Float64Array(MAX_ORDER);
  const perImage: number[] = [];
  for (let t = 0; t < itemCount; t++) {
    const candidate = firstSentence[t];
    const references = firstSentence[t + 1] - candidate - 1;
    const candidateLength = weigh(candidate, 0);
    sums.fill(0);
    for (let reference = candidate + 1; reference <= candidate + references; reference++) {
      const delta = candidateLength - weigh(reference, MAX_ORDER);
      const penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
      const from = ngramStart(set, reference, 0);
      const to = ngramStart(set, reference, MAX_ORDER);
      for (let s = from; s < to; s++) referenceWeight[ids[s]] = weights[s];
      for (let k = 0; k < MAX_ORDER; k++) {
        let value = 0;
        for (let s = ngramStart(set, candidate, k); s < ngramStart(set, candidate, k + 1); s++) {
          const r = referenceWeight[ids[s]];
          value += Math.min(weights[s], r) * r;
        }
        if (norms[k] !== 0 && norms[MAX_ORDER + k] !== 0) value /= norms[k] * norms[MAX_ORDER + k];
        sums[k] += value * penalty;
      }
      for (let s = from; s < to; s++) referenceWeight[ids[s]] = 0;
    }
    let mean = 0;
    for (const s of sums) mean += s;
    perImage.push(((mean / MAX_ORDER) / references) * 10);
  }
  let total = 0;
  for (const s of perImage) total += s;
  return { corpus: total / perImage.length, perImage };
}
