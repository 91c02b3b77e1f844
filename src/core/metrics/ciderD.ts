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
import { CountedItem, MAX_ORDER, SentenceNgrams } from './ngramIndex';

const SIGMA = 6;

/** A sentence's tf-idf weights per order (parallel to its OrderCounts ids), their norms and its CIDEr "length". */
interface Weighted {
  readonly weights: readonly Float64Array[];
  readonly norms: readonly number[];
  readonly length: number;
}

/** Per-image CIDEr-D of every item and their mean; `size` bounds the n-gram ids (NgramIndex.size). */
export function ciderDFromCounts(items: readonly CountedItem[], size: number): { corpus: number; perImage: number[] } {
  const documentFrequency = new Int32Array(size);
  const lastImage = new Int32Array(size).fill(-1);
  items.forEach((item, image) => {
    for (const reference of item.references) {
      for (const order of reference.orders) {
        for (const id of order.ids) {
          if (lastImage[id] !== image) {
            lastImage[id] = image;
            documentFrequency[id]++;
          }
        }
      }
    }
  });
  const logImages = Math.log(items.length);
  const weigh = (sentence: SentenceNgrams): Weighted => {
    const norms: number[] = [];
    const weights = sentence.orders.map((order) => {
      const w = new Float64Array(order.ids.length);
      let squares = 0;
      for (let i = 0; i < w.length; i++) {
        w[i] = order.counts[i] * (logImages - Math.log(Math.max(1, documentFrequency[order.ids[i]])));
        squares += w[i] * w[i];
      }
      norms.push(Math.sqrt(squares));
      return w;
    });
    let bigrams = 0;
    for (const c of sentence.orders[1].counts) bigrams += c;
    return { weights, norms, length: bigrams };
  };

  // A reference's weights laid out by n-gram id while the candidate is compared with it, then cleared.
  const referenceWeight = new Float64Array(size);
  const perImage = items.map((item) => {
    const candidate = weigh(item.candidate);
    const sums = new Array<number>(MAX_ORDER).fill(0);
    for (const sentence of item.references) {
      const reference = weigh(sentence);
      const delta = candidate.length - reference.length;
      const penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
      for (let k = 0; k < MAX_ORDER; k++) {
        const referenceIds = sentence.orders[k].ids;
        for (let i = 0; i < referenceIds.length; i++) referenceWeight[referenceIds[i]] = reference.weights[k][i];
        const candidateIds = item.candidate.orders[k].ids;
        let value = 0;
        for (let i = 0; i < candidateIds.length; i++) {
          const r = referenceWeight[candidateIds[i]];
          value += Math.min(candidate.weights[k][i], r) * r;
        }
        if (candidate.norms[k] !== 0 && reference.norms[k] !== 0) value /= candidate.norms[k] * reference.norms[k];
        sums[k] += value * penalty;
        for (let i = 0; i < referenceIds.length; i++) referenceWeight[referenceIds[i]] = 0;
      }
    }
    let mean = 0;
    for (const s of sums) mean += s;
    return ((mean / MAX_ORDER) / item.references.length) * 10;
  });
  let total = 0;
  for (const s of perImage) total += s;
  return { corpus: total / perImage.length, perImage };
}
