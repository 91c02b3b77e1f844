/** The saved report of a run, scored from what each model gave: one assembly for the extension's run and the CLI's `eval`. */
import type { GenderWordLists } from '../metrics/genderBias';
import { EVALUATION_REPORT_VERSION, EvaluationReport, ModelCaption, ReferenceCounts, ReferenceSource } from './evaluationReport';
import { scoreEvaluation } from './scoreEvaluation';

export interface ReportInput {
  readonly id: string;
  readonly datasetRoot: string;
  readonly references: ReferenceSource;
  readonly referenceCounts: ReferenceCounts;
  /** Each sampled image's references, by relative path, in sample order. */
  readonly sample: readonly { readonly path: string; readonly references: readonly string[] }[];
  readonly sampleSize: number;
  readonly seed: number;
  readonly models: readonly { readonly modelId: string; readonly label: string }[];
  readonly captions: ReadonlyMap<string, ReadonlyMap<string, ModelCaption>>;
  /** CLIP scores and their model, or why there are none. */
  readonly clip: { readonly scores?: ReadonlyMap<string, ReadonlyMap<string, number>>; readonly model?: string; readonly why?: string };
  readonly genderWords?: GenderWordLists;
  readonly cancelled: boolean;
}

export function assembleReport(input: ReportInput, now = new Date()): EvaluationReport {
  const scored = scoreEvaluation({ images: input.sample, models: input.models, captions: input.captions, clipScores: input.clip.scores, genderWords: input.genderWords });
  return {
    version: EVALUATION_REPORT_VERSION,
    id: input.id,
    createdAt: now.toISOString(),
    datasetRoot: input.datasetRoot,
    references: input.references,
    referenceCounts: input.referenceCounts,
    sampleSize: input.sampleSize,
    seed: input.seed,
    tokenizer: 'coco-ptb',
    ...(input.clip.model ? { clipModel: input.clip.model } : {}),
    ...(input.clip.why ? { clipUnavailable: input.clip.why } : {}),
    cancelled: input.cancelled,
    models: scored.models,
    images: scored.images,
  };
}
