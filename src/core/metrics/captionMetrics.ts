/** The caption metrics of issue 13 over tokenized items: COCO BLEU, NLTK BLEU and CIDEr-D, each named by convention. */
import { bleuStats } from './bleuStats';
import { ciderDFromCounts } from './ciderD';
import { cocoBleuFromStats } from './cocoBleu';
import { Bleu1To4, checkScorable, ScoredItem } from './metricTypes';
import { countItems } from './ngramIndex';
import { nltkCorpusBleuFromStats, nltkSentenceBleu4Method1 } from './nltkBleu';

/** One image's scores under every convention. */
export interface ImageScores {
  readonly id: string;
  /** pycocoevalcap Bleu(4): BLEU-1..4 of this image alone. */
  readonly cocoBleu: Bleu1To4;
  /** NLTK sentence_bleu, BLEU-4, SmoothingFunction().method1. */
  readonly nltkSentenceBleu4: number;
  /** pycocoevalcap Cider (CIDEr-D); depends on the whole set through its document frequencies. */
  readonly ciderD: number;
}

/** Corpus scores of a set and each image's. */
export interface CaptionScores {
  /** pycocoevalcap Bleu(4) corpus BLEU-1..4 (the COCO caption evaluation's numbers). */
  readonly cocoBleu: Bleu1To4;
  /** NLTK corpus_bleu BLEU-1..4 with uniform weights. */
  readonly nltkCorpusBleu: Bleu1To4;
  /** pycocoevalcap Cider: the mean of the images' CIDEr-D. */
  readonly ciderD: number;
  readonly images: readonly ImageScores[];
}

/** Every metric of the set, counting its n-grams once. Throws MetricInputError for an empty set or an image without references. */
export function captionMetrics(items: readonly ScoredItem[]): CaptionScores {
  checkScorable(items);
  const counted = countItems(items);
  const stats = bleuStats(counted);
  const coco = cocoBleuFromStats(stats);
  const cider = ciderDFromCounts(counted);
  return {
    cocoBleu: coco.corpus,
    nltkCorpusBleu: nltkCorpusBleuFromStats(stats),
    ciderD: cider.corpus,
    images: items.map((item, i) => ({
      id: item.id,
      cocoBleu: coco.perImage[i],
      nltkSentenceBleu4: nltkSentenceBleu4Method1(stats[i]),
      ciderD: cider.perImage[i],
    })),
  };
}

/** Corpus BLEU-1..4, COCO convention. */
export function cocoBleu(items: readonly ScoredItem[]): Bleu1To4 {
  checkScorable(items);
  return cocoBleuFromStats(bleuStats(countItems(items, 'image'))).corpus;
}

/** Corpus BLEU-1..4, NLTK corpus_bleu convention. */
export function nltkCorpusBleu(items: readonly ScoredItem[]): Bleu1To4 {
  checkScorable(items);
  return nltkCorpusBleuFromStats(bleuStats(countItems(items, 'image')));
}

/** Corpus CIDEr-D, COCO convention. */
export function ciderD(items: readonly ScoredItem[]): number {
  checkScorable(items);
  return ciderDFromCounts(countItems(items)).corpus;
}
