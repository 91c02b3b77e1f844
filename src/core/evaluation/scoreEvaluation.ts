/**
 * Turns the models' captions of a sample into the report's numbers: per model the corpus metrics
 * (COCO BLEU, NLTK BLEU, CIDEr-D over `cocoTokens`), failures, empty captions, mean length, median
 * request time, mean CLIP score and the gender check; per image each model's caption and scores.
 */
import { captionMetrics, type CaptionScores } from '../metrics/captionMetrics';
import { cocoTokens } from '../metrics/cocoTokenizer';
import { pairEvaluationSet } from '../metrics/evaluationSet';
import { DEFAULT_GENDER_WORDS, genderBias, type GenderWordLists } from '../metrics/genderBias';
import type { EvaluationImage, ImageModelScores, ModelBias, ModelCaption, ModelSummary } from './evaluationReport';

/** One sampled image and its references. */
export interface SampledImage {
  readonly path: string;
  readonly references: readonly string[];
}

export interface ScoringInput {
  readonly images: readonly SampledImage[];
  readonly models: readonly { readonly modelId: string; readonly label: string }[];
  /** Model id → image path → what the model gave. An image missing here was not run (a cancelled evaluation). */
  readonly captions: ReadonlyMap<string, ReadonlyMap<string, ModelCaption>>;
  /** Model id → image path → CLIP score (100 × cosine); absent without a CLIP model. */
  readonly clipScores?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly genderWords?: GenderWordLists;
  /** Raw text → tokens; default the COCO PTB tokenizer (what the report's `tokenizer` says). */
  readonly tokenize?: (text: string) => string[];
}

/** The scored half of a report. */
export interface ScoredEvaluation {
  readonly models: ModelSummary[];
  readonly images: EvaluationImage[];
}

/** Scores every model on the sample (pure; the metrics see only images that have a caption and references). */
export function scoreEvaluation(input: ScoringInput): ScoredEvaluation {
  const tokenize = input.tokenize ?? cocoTokens;
  const references = new Map(input.images.map((image) => [image.path, image.references]));
  const perImage = new Map<string, { captions: Record<string, ModelCaption>; scores: Record<string, ImageModelScores> }>(
    input.images.map((image) => [image.path, { captions: {}, scores: {} }]),
  );
  const models = input.models.map(({ modelId, label }): ModelSummary => {
    const captions = input.captions.get(modelId) ?? new Map<string, ModelCaption>();
    const clip = input.clipScores?.get(modelId);
    const texts = new Map<string, string>();
    for (const image of input.images) {
      const caption = captions.get(image.path);
      if (caption) perImage.get(image.path)!.captions[modelId] = caption;
      if (caption?.text !== undefined) texts.set(image.path, caption.text);
    }
    const set = pairEvaluationSet(texts, references, tokenize);
    const metrics: CaptionScores | undefined = set.items.length > 0 ? captionMetrics(set.items) : undefined;
    for (const scores of metrics?.images ?? []) {
      const clipScore = clip?.get(scores.id);
      perImage.get(scores.id)!.scores[modelId] = {
        cocoBleu: scores.cocoBleu,
        nltkBleu4: scores.nltkSentenceBleu4,
        ciderD: scores.ciderD,
        ...(clipScore !== undefined ? { clipScore } : {}),
      };
    }
    const captioned = [...texts.keys()];
    const elapsed = captioned.map((p) => captions.get(p)?.elapsedMs).filter((ms): ms is number => ms !== undefined);
    const clipValues = captioned.map((p) => clip?.get(p)).filter((s): s is number => s !== undefined);
    return {
      modelId,
      label,
      scored: set.items.length,
      failed: input.images.length - texts.size,
      emptyCaptions: set.emptyCandidates.length,
      ...(metrics ? { cocoBleu: metrics.cocoBleu, nltkCorpusBleu: metrics.nltkCorpusBleu, ciderD: metrics.ciderD } : {}),
      ...(clipValues.length > 0 ? { clipScore: mean(clipValues) } : {}),
      ...(captioned.length > 0 ? { meanWords: mean(captioned.map((p) => wordCount(texts.get(p)!))) } : {}),
      ...(elapsed.length > 0 ? { msPerImage: median(elapsed) } : {}),
      bias: modelBias(captioned.map((p) => ({ id: p, candidate: texts.get(p)!, references: references.get(p) ?? [] })), input.genderWords ?? DEFAULT_GENDER_WORDS),
    };
  });
  const images = input.images.map((image): EvaluationImage => ({ path: image.path, references: image.references, ...perImage.get(image.path)! }));
  return { models, images };
}

function modelBias(items: Parameters<typeof genderBias>[0], words: GenderWordLists): ModelBias {
  const report = genderBias(items, words);
  return {
    gendered: report.gendered,
    misclassified: report.misclassified,
    ...(report.rate !== undefined ? { rate: report.rate } : {}),
    correct: report.correct,
    neutral: report.neutral,
    namedBoth: report.namedBoth,
    mismatches: report.mismatches.map((m) => ({ path: m.id, expected: m.expected, named: m.named, wrongWords: m.wrongWords })),
  };
}

/** Words of a caption as the report counts them: whitespace-separated. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
