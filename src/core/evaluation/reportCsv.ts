/**
 * The evaluation report as two CSV tables (RFC 4180, CRLF, UTF-8 without BOM, like the caption table
 * export): one row per image and model with every score, and one row per model with its summary.
 * Two files rather than two sections in one, so any CSV reader takes each whole. Texts come from
 * datasets and servers: every text cell goes through `csvField` (quoting, and a leading `'` on a
 * cell a spreadsheet would run as a formula). Numbers are written in full (JavaScript's shortest
 * round-trip form); a number the report does not have is an empty cell, never 0.
 */
import { csvField } from '../export/captionTableExport';
import type { EvaluationReport, ModelSummary } from './evaluationReport';

/** Columns of the per-image table, in order. */
export const IMAGE_CSV_COLUMNS = [
  'path', 'model_id', 'model', 'caption', 'error', 'elapsed_ms',
  'coco_bleu_1', 'coco_bleu_2', 'coco_bleu_3', 'coco_bleu_4', 'nltk_bleu_4', 'cider_d', 'clip_score',
  'references',
] as const;

/** Columns of the per-model summary table, in order. */
export const SUMMARY_CSV_COLUMNS = [
  'model_id', 'model', 'scored', 'failed', 'empty_captions',
  'coco_bleu_1', 'coco_bleu_2', 'coco_bleu_3', 'coco_bleu_4',
  'nltk_bleu_1', 'nltk_bleu_2', 'nltk_bleu_3', 'nltk_bleu_4',
  'cider_d', 'clip_score', 'mean_words', 'ms_per_image',
  'bias_gendered', 'bias_misclassified', 'bias_rate', 'bias_correct', 'bias_neutral', 'bias_named_both',
] as const;

type Cell = string | number | undefined;

function cell(value: Cell): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : csvField(value);
}

function csv(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  let out = `${header.join(',')}\r\n`;
  for (const row of rows) out += `${row.map(cell).join(',')}\r\n`;
  return out;
}

/**
 * One row per sampled image and model, images in the report's order and models in its order within
 * each. References share one cell, one per line. A model with no caption for the image has its
 * error (or nothing, when it never ran) and empty scores.
 */
export function reportImagesCsv(report: EvaluationReport): string {
  function* rows(): Iterable<Cell[]> {
    for (const image of report.images) {
      const references = image.references.join('\n');
      for (const model of report.models) {
        const caption = image.captions[model.modelId];
        const scores = image.scores[model.modelId];
        yield [
          image.path, model.modelId, model.label, caption?.text, caption?.error, caption?.elapsedMs,
          ...(scores ? scores.cocoBleu : [undefined, undefined, undefined, undefined]),
          scores?.nltkBleu4, scores?.ciderD, scores?.clipScore,
          references,
        ];
      }
    }
  }
  return csv(IMAGE_CSV_COLUMNS, rows());
}

/** One row per model: its counts, corpus scores under both BLEU conventions, and the gender check (an absent rate stays empty). */
export function reportSummaryCsv(report: EvaluationReport): string {
  const row = (m: ModelSummary): Cell[] => [
    m.modelId, m.label, m.scored, m.failed, m.emptyCaptions,
    ...bleu(m.cocoBleu), ...bleu(m.nltkCorpusBleu),
    m.ciderD, m.clipScore, m.meanWords, m.msPerImage,
    m.bias.gendered, m.bias.misclassified, m.bias.rate, m.bias.correct, m.bias.neutral, m.bias.namedBoth,
  ];
  return csv(SUMMARY_CSV_COLUMNS, report.models.map(row));
}

function bleu(values: ModelSummary['cocoBleu']): Cell[] {
  return values ? [...values] : [undefined, undefined, undefined, undefined];
}
