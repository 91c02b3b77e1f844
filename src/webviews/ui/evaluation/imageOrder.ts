/** The order of the report's per-image view and its pages. DOM-free (unit-tested). */
import type { EvaluationImage } from '../../../core/evaluation/evaluationReport';
import type { ImageMetric, ImageSort } from '../../protocol/evaluationMessages';

/** Rows per page of the per-image view: 5,000 images stay a few dozen rows in the DOM. */
export const PAGE_SIZE = 50;

/** One model's value of `metric` on an image; undefined when the image was not scored for it (no caption, no CLIP). */
export function imageMetric(image: EvaluationImage, modelId: string, metric: ImageMetric): number | undefined {
  const scores = image.scores[modelId];
  if (!scores) return undefined;
  const value = metric === 'bleu4' ? scores.cocoBleu[3] : metric === 'ciderD' ? scores.ciderD : scores.clipScore;
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/**
 * How much the models disagree on an image: the highest CIDEr-D among them minus the lowest.
 * Undefined when fewer than two models were scored on it (nothing to compare).
 */
export function disagreement(image: EvaluationImage, modelIds: readonly string[]): number | undefined {
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (const id of modelIds) {
    const v = imageMetric(image, id, 'ciderD');
    if (v === undefined) continue;
    n++;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return n >= 2 ? max - min : undefined;
}

const collator = new Intl.Collator('en', { numeric: true });

/**
 * The images' indices in `sort`'s order. Images without the value sorted by (not scored, one model
 * only) come last in either direction; ties keep path order, so the order is the same every time.
 */
export function orderImages(images: readonly EvaluationImage[], modelIds: readonly string[], sort: ImageSort): number[] {
  const byPath = images.map((_, i) => i).sort((a, b) => collator.compare(images[a].path, images[b].path));
  if (sort.kind === 'path') return sort.descending ? byPath.reverse() : byPath;
  const value = (i: number): number | undefined =>
    sort.kind === 'metric' ? imageMetric(images[i], sort.modelId, sort.metric) : disagreement(images[i], modelIds);
  const keyed = byPath.map((i, rank) => ({ i, rank, v: value(i) }));
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.rank - b.rank : a.v === undefined ? 1 : -1;
    return (sort.descending ? b.v - a.v : a.v - b.v) || a.rank - b.rank;
  });
  return keyed.map((k) => k.i);
}

/** The pages of `count` rows, and `page` clamped into them. */
export function pageRange(count: number, page: number): { readonly page: number; readonly pages: number; readonly start: number; readonly end: number } {
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
  const p = Math.min(Math.max(0, Math.floor(Number.isFinite(page) ? page : 0)), pages - 1);
  return { page: p, pages, start: p * PAGE_SIZE, end: Math.min(count, (p + 1) * PAGE_SIZE) };
}

/** A saved sort that still fits the report (its model may be gone); path order otherwise. */
export function validSort(sort: ImageSort | undefined, modelIds: readonly string[]): ImageSort {
  if (!sort || typeof sort !== 'object') return { kind: 'path', descending: false };
  if (sort.kind === 'path' || sort.kind === 'disagreement') return { kind: sort.kind, descending: !!sort.descending };
  if (sort.kind === 'metric' && modelIds.includes(sort.modelId) && ['bleu4', 'ciderD', 'clip'].includes(sort.metric)) return { ...sort, descending: !!sort.descending };
  return { kind: 'path', descending: false };
}
