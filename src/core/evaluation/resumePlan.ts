/**
 * Resuming a cancelled evaluation from its report: what each model already gave (kept, never asked
 * again) and which sampled images each model still owes. An image whose request failed is asked again:
 * only a caption with text counts as done.
 */
import type { EvaluationReport, ModelCaption } from './evaluationReport';

/** One model's part of a resume. */
export interface ModelResume {
  readonly modelId: string;
  readonly label: string;
  /** Image path → the caption kept from the cancelled run. */
  readonly kept: ReadonlyMap<string, ModelCaption>;
  /** Image paths to ask for, in sample order. */
  readonly remaining: readonly string[];
}

/** The per-model plan of resuming `report` (in the report's model order). */
export function resumePlan(report: EvaluationReport): ModelResume[] {
  return report.models.map(({ modelId, label }) => {
    const kept = new Map<string, ModelCaption>();
    const remaining: string[] = [];
    for (const image of report.images) {
      const caption = image.captions[modelId];
      if (caption?.text !== undefined) kept.set(image.path, caption.elapsedMs !== undefined ? { text: caption.text, elapsedMs: caption.elapsedMs } : { text: caption.text });
      else remaining.push(image.path);
    }
    return { modelId, label, kept, remaining };
  });
}

/** Images still to caption over all models (what a Resume would send). */
export function remainingRequests(report: EvaluationReport): number {
  return resumePlan(report).reduce((n, m) => n + m.remaining.length, 0);
}
