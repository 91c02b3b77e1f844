/** How the report panel writes the report's numbers and facts as text. DOM-free (unit-tested). */
import type { EvaluationReport, ModelBias, ReferenceSource } from '../../../core/evaluation/evaluationReport';

/** A score to 4 decimals (the precision the metrics agree with pycocoevalcap to); '—' when absent. */
export function score4(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(4);
}

/** A number with `digits` decimals, '—' when absent. */
export function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** The gender check as a rate with its counts; a model with no gendered image says so (never 0%). */
export function biasText(bias: ModelBias): string {
  if (bias.rate === undefined) return 'no gendered image';
  return `${(bias.rate * 100).toFixed(1)}% (${bias.misclassified} of ${bias.gendered})`;
}

/** Where the references came from, in words. */
export function referenceSourceText(source: ReferenceSource): string {
  return source.kind === 'sidecar' ? `${source.extension} files beside the images` : `${source.file} (${source.format})`;
}

/** The tokenizer the metrics used, in words. */
export function tokenizerText(tokenizer: EvaluationReport['tokenizer']): string {
  return tokenizer === 'coco-ptb' ? 'COCO PTB tokenizer (lowercase, punctuation dropped)' : String(tokenizer);
}

/** The header's facts as label/value pairs, in order. */
export function headerFacts(report: EvaluationReport): Array<readonly [string, string]> {
  const c = report.referenceCounts;
  const n = (x: number): string => x.toLocaleString('en-US');
  const facts: Array<readonly [string, string]> = [
    ['Dataset', report.datasetRoot],
    ['Created', report.createdAt],
    ['Sample', `${n(report.images.length)} images (asked for ${n(report.sampleSize)}), seed ${report.seed}`],
    ['References', referenceSourceText(report.references)],
    [
      'Reference counts',
      `${n(c.imagesWithReferences)} images with references, ${n(c.imagesWithoutReferences)} without, ` +
        `${n(c.referencesWithoutImage)} with no matching image, ${n(c.emptyReferences)} empty, ${n(c.unreadable.length)} unreadable`,
    ],
    ['Tokenizer', tokenizerText(report.tokenizer)],
    ['CLIP model', report.clipModel ?? (report.clipUnavailable ? `no CLIP score: ${report.clipUnavailable}` : 'no CLIP model')],
  ];
  if (report.cancelled) facts.push(['Cancelled', 'the run was cancelled before every model captioned every image']);
  return facts;
}
