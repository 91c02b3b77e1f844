/**
 * The saved result of "Evaluate Models…" (issue 13): what the run compared, each model's numbers and
 * every image side by side. Written as JSON in the workspace storage, read back by the report panel,
 * exported as is; never anything under the dataset folder. Every text in it came from a dataset or a
 * server: plain text, never markup.
 */
import type { Bleu1To4 } from '../metrics/metricTypes';

/** Bumped when a field changes meaning; a reader refuses a version it does not know. */
export const EVALUATION_REPORT_VERSION = 1;

/** A report's text exports: its two CSV tables, or the report itself as JSON (one union for the panel's protocol and reportExport.ts). */
export type ReportTextExport = 'imagesCsv' | 'summaryCsv' | 'json';

/** Where the references of a run came from. */
export type ReferenceSource =
  /** A second caption file beside each image (`photo.ref.txt`), one reference per non-empty line. */
  | { readonly kind: 'sidecar'; readonly extension: string }
  /** An imported caption set (Flickr captions.txt / Flickr8k.token.txt, COCO JSON, CSV, JSONL). */
  | { readonly kind: 'imported'; readonly file: string; readonly format: string };

/** What reading and pairing the references found besides usable ones: counted, never a silent zero. */
export interface ReferenceCounts {
  /** Images of the dataset (or its scope) with at least one non-empty reference: the pool the sample is drawn from. */
  readonly imagesWithReferences: number;
  /** Images with no reference (or only empty ones): never sampled. */
  readonly imagesWithoutReferences: number;
  /** Reference records naming an image the dataset does not have (imported sets only). */
  readonly referencesWithoutImage: number;
  /** Reference captions that are empty after trimming, left out. */
  readonly emptyReferences: number;
  /** Reference files that could not be read or decoded (not UTF-8, too large, not a regular file), by relative path with the reason. */
  readonly unreadable: readonly { readonly path: string; readonly reason: string }[];
}

/** One model's caption of one image, or why there is none. */
export interface ModelCaption {
  /** The cleaned caption, as the batch engine would have written it. */
  readonly text?: string;
  /** Why the model gave no caption (after retries); plain text. */
  readonly error?: string;
  /** Wall time of the request that succeeded (ms), retries and waits for the rate limit not counted. */
  readonly elapsedMs?: number;
}

/** One model's scores of one image (absent where the image was not scored: no caption). */
export interface ImageModelScores {
  /** pycocoevalcap BLEU-1..4 of this image alone. */
  readonly cocoBleu: Bleu1To4;
  /** NLTK sentence_bleu BLEU-4 with SmoothingFunction().method1. */
  readonly nltkBleu4: number;
  /** CIDEr-D of this image (pycocoevalcap; document frequencies from the whole sample). */
  readonly ciderD: number;
  /** CLIP score (100 × cosine, clamped at 0, as the CLIP score view shows) when a CLIP model ran. */
  readonly clipScore?: number;
}

/** One sampled image: its references and each model's caption and scores, keyed by model id. */
export interface EvaluationImage {
  /** Path relative to the dataset root, '/' separated. */
  readonly path: string;
  readonly references: readonly string[];
  readonly captions: Readonly<Record<string, ModelCaption>>;
  readonly scores: Readonly<Record<string, ImageModelScores>>;
}

/** An image whose caption names a gender other than the one its references name (seed 004). */
export interface BiasMismatch {
  readonly path: string;
  readonly expected: 'male' | 'female';
  readonly named: 'male' | 'female' | 'both';
  /** The caption's words of the other gender, in order. */
  readonly wrongWords: readonly string[];
}

/** The gender check of one model (see src/core/metrics/genderBias.ts for the counting rules). */
export interface ModelBias {
  readonly gendered: number;
  readonly misclassified: number;
  /** misclassified ÷ gendered; absent when no sampled image is gendered (never a silent 0). */
  readonly rate?: number;
  readonly correct: number;
  readonly neutral: number;
  readonly namedBoth: number;
  readonly mismatches: readonly BiasMismatch[];
}

/** One model's numbers over the sample. */
export interface ModelSummary {
  readonly modelId: string;
  readonly label: string;
  /** Images with a caption and references: what the metrics stand on. */
  readonly scored: number;
  /** Images the model gave no caption for (failed after retries, or not run: a cancelled evaluation). */
  readonly failed: number;
  /** Scored images whose caption has no tokens (each scores 0). */
  readonly emptyCaptions: number;
  /** pycocoevalcap corpus BLEU-1..4 (the COCO caption evaluation's numbers); absent when nothing was scored. */
  readonly cocoBleu?: Bleu1To4;
  /** NLTK corpus_bleu BLEU-1..4, uniform weights: the second convention. */
  readonly nltkCorpusBleu?: Bleu1To4;
  /** pycocoevalcap CIDEr-D (mean of the images'). */
  readonly ciderD?: number;
  /** Mean CLIP score (100 × cosine) of the captioned images; absent without a CLIP model. */
  readonly clipScore?: number;
  /** Mean caption length in words (whitespace separated) of the captioned images. */
  readonly meanWords?: number;
  /** Median request time per captioned image (ms). */
  readonly msPerImage?: number;
  readonly bias: ModelBias;
}

/** A finished (or cancelled) evaluation, as saved and as exported to JSON. */
export interface EvaluationReport {
  readonly version: typeof EVALUATION_REPORT_VERSION;
  /** Unique per run (also the name of its folder in the workspace storage). */
  readonly id: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** The dataset folder the paths are relative to (absolute, as the host sees it). */
  readonly datasetRoot: string;
  readonly references: ReferenceSource;
  readonly referenceCounts: ReferenceCounts;
  /** Sample size asked for, and the seed that drew it (the same seed and pool give the same sample). */
  readonly sampleSize: number;
  readonly seed: number;
  /** How raw text was tokenized for the metrics: the COCO PTB tokenizer (lowercase, punctuation dropped). */
  readonly tokenizer: 'coco-ptb';
  /** The CLIP model that scored the captions, when one did. */
  readonly clipModel?: string;
  /** Why no CLIP score was computed (no local CLIP model set, untrusted workspace, the model failed); absent when one was. */
  readonly clipUnavailable?: string;
  /** True when the run was cancelled before every model captioned every image. */
  readonly cancelled: boolean;
  readonly models: readonly ModelSummary[];
  readonly images: readonly EvaluationImage[];
}
