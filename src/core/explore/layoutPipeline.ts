/**
 * The Explore panel's computation, pure and synchronous (it runs in the explore thread): the items'
 * vectors reduced to at most 50 dimensions (captions: TF-IDF then a truncated SVD of the sparse
 * matrix; other vectors: unit length, then PCA), k-means on that reduction (never on the 2-D
 * picture), a 2-D projection for the plot, and each cluster's distinctive terms.
 */
import { clusterTerms } from '../analytics/clusterTerms';
import { kmeans } from '../analytics/kmeans';
import { pca } from '../analytics/pca';
import { suggestK } from '../analytics/silhouette';
import type { CsrMatrix, DenseMatrix } from '../analytics/sparse';
import { ENGLISH_STOP_WORDS } from '../analytics/stopWords';
import { tfidf, type TfidfResult } from '../analytics/tfidf';
import { truncatedSvd } from '../analytics/truncatedSvd';
import { reduceDense } from './denseReduction';
import type { ClusterSummary, ExploreInput, ExploreLayout, ExploreOptions, KSuggestionResult } from './exploreTypes';
import { umapProjection, UMAP_SAMPLE } from './umapProjection';

/** Most reduced dimensions k-means works on. */
export const MAX_REDUCED_DIMS = 50;
const TERMS_PER_CLUSTER = 5;

/** What a user must change before a layout can be made (no items, no words, bad vectors). */
export class ExploreInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExploreInputError';
  }
}

/** The run was cancelled between two steps. */
export class LayoutCancelledError extends Error {
  constructor() {
    super('The layout was cancelled.');
    this.name = 'LayoutCancelledError';
  }
}

/** How a run reports and how it learns that it should stop. */
export interface PipelineRun {
  progress(stage: string, done: number, total: number): void;
  /** False once the run is cancelled. */
  keepGoing(): boolean;
}

/** The reduction k-means and the projection work on, kept between runs that change only k or the projection. */
export interface ReducedInput {
  readonly embedding: DenseMatrix;
  /** TF-IDF of the items' captions, for the clusters' terms (absent when there is no text). */
  readonly terms?: { readonly matrix: CsrMatrix; readonly vocabulary: readonly string[] };
  readonly timings: Readonly<Record<string, number>>;
}

const QUIET: PipelineRun = { progress: () => undefined, keepGoing: () => true };

/** Reduces the input to at most `reducedDims` (≤ 50) dimensions. */
export function reduceInput(input: ExploreInput, options: Pick<ExploreOptions, 'reducedDims' | 'seed'>, run: PipelineRun = QUIET): ReducedInput {
  const dims = Math.max(1, Math.min(MAX_REDUCED_DIMS, Math.floor(options.reducedDims)));
  const timings: Record<string, number> = {};
  const timed = stepTimer(run, timings);
  if (input.kind === 'texts') {
    const count = input.texts.length;
    if (count === 0) throw new ExploreInputError('There is nothing to lay out: the scope has no images.');
    const weights = timed('tf-idf', () => captionTfidf(input.texts, input.stopWords));
    if (!weights) {
      throw new ExploreInputError(
        'The captions have no words to compare: they are empty or only stop words. Caption the images first, or lay out the images instead of their captions.',
      );
    }
    const svd = timed('reduce', () => truncatedSvd(weights.matrix, { components: dims, seed: options.seed }));
    return { embedding: svd.embedding, terms: weights, timings };
  }
  const rows = input.dims > 0 ? input.data.length / input.dims : 0;
  if (!Number.isInteger(input.dims) || input.dims < 1 || !Number.isInteger(rows)) {
    throw new ExploreInputError(`The vectors do not fit their size: ${input.data.length} numbers are not rows of ${input.dims}.`);
  }
  if (rows === 0) throw new ExploreInputError('There is nothing to lay out: the scope has no images.');
  if (input.texts && input.texts.length !== rows) throw new ExploreInputError(`${rows} vectors but ${input.texts.length} captions.`);
  const scales = timed('normalise', () => unitScales(input.data, rows, input.dims));
  // Wide rows are scaled on the fly by the reduction; narrow ones (≤ 50 numbers) are copied to unit length.
  const embedding =
    input.dims > dims
      ? timed('reduce', () => reduceDense({ rows, cols: input.dims, data: input.data, rowScale: scales }, dims, options.seed))
      : unitRows(input.data, rows, input.dims, scales);
  const terms = input.texts ? timed('tf-idf', () => captionTfidf(input.texts!, undefined)) : undefined;
  return { embedding, terms, timings };
}

/** Clusters the reduction, projects it to 2-D and names the clusters. */
export function layoutReduced(reduced: ReducedInput, options: ExploreOptions, run: PipelineRun = QUIET): ExploreLayout {
  const { embedding } = reduced;
  const n = embedding.rows;
  const timings: Record<string, number> = { ...reduced.timings };
  const notes: string[] = [];
  const timed = stepTimer(run, timings);
  if (!Number.isInteger(options.k) || options.k < 1) throw new ExploreInputError(`The number of clusters must be a whole number from 1, not ${options.k}.`);
  const k = Math.min(options.k, n);
  if (k < options.k) notes.push(`${options.k} clusters asked for ${n} items: made ${k}.`);
  const clustering = timed('cluster', () => kmeans(embedding, { k, seed: options.seed, restarts: Math.max(1, options.restarts) }));
  const { labels, count: made } = withoutEmptyClusters(clustering.labels, k);
  if (made < k) notes.push(`The items fall into only ${made} distinct group${made === 1 ? '' : 's'} (identical or empty captions or vectors): made ${made} cluster${made === 1 ? '' : 's'} instead of ${k}.`);
  let x: Float32Array;
  let y: Float32Array;
  let explained: number | undefined;
  if (options.projection === 'umap') {
    if (n > UMAP_SAMPLE) notes.push(`UMAP was fitted on ${UMAP_SAMPLE} of ${n} items; the others sit beside their nearest neighbours.`);
    const positions = timed('project', () => umapProjection(embedding, labels, options.seed, () => run.keepGoing(), (done, total) => run.progress('project', done, total)));
    if (!run.keepGoing()) throw new LayoutCancelledError();
    [x, y] = columns(positions, n, 2);
  } else {
    const projected = timed('project', () => pca(embedding, 2));
    [x, y] = columns(projected.data, n, projected.cols);
    explained = keptVariance(embedding, projected);
  }
  const clusters = timed('terms', () => summarise(reduced, labels, made));
  const layout: ExploreLayout = { count: n, x, y, labels, clusters, timings, ...(explained === undefined ? {} : { explained }), ...(notes.length ? { notes } : {}) };
  return layout;
}

/** Silhouette of k-means for each k in [min, max] on the reduction (a sample of 2,000 for large sets). */
export function suggestClusterCount(reduced: ReducedInput, range: { readonly min: number; readonly max: number; readonly seed: number }, run: PipelineRun = QUIET): KSuggestionResult {
  if (!run.keepGoing()) throw new LayoutCancelledError();
  run.progress('suggest k', 0, 1);
  const n = reduced.embedding.rows;
  const max = Math.min(range.max, n - 1);
  const min = Math.max(2, Math.min(range.min, max));
  if (max < 2) throw new ExploreInputError(`Suggesting a number of clusters needs at least 3 items; the scope has ${n}.`);
  const suggestion = suggestK(reduced.embedding, { minK: min, maxK: max, seed: range.seed });
  return { best: suggestion.k, scores: suggestion.scores.map((s) => ({ k: s.k, score: s.silhouette })) };
}

/** Runs one step: stops first if the run was cancelled, announces it, and records its milliseconds in `timings`. */
function stepTimer(run: PipelineRun, timings: Record<string, number>): <T>(stage: string, work: () => T) => T {
  return (stage, work) => {
    if (!run.keepGoing()) throw new LayoutCancelledError();
    run.progress(stage, 0, 1);
    const start = performance.now();
    const value = work();
    timings[stage] = performance.now() - start;
    return value;
  };
}

/** TF-IDF of captions with the English stop words plus the user's, or undefined when no term is left. */
function captionTfidf(texts: readonly string[], extraStopWords: readonly string[] | undefined): TfidfResult | undefined {
  const stopWords = extraStopWords?.length ? new Set([...ENGLISH_STOP_WORDS, ...extraStopWords.map((w) => w.toLowerCase())]) : ENGLISH_STOP_WORDS;
  // Terms in one caption only say nothing about groups; on small sets every term counts.
  const minDf = texts.length >= 200 ? 2 : 1;
  let result = tfidf(texts, { stopWords, minDf, maxDf: 0.95 });
  if (result.vocabulary.length === 0) result = tfidf(texts, { stopWords, minDf: 1, maxDf: 1 });
  return result.vocabulary.length === 0 ? undefined : result;
}

/**
 * Labels renumbered over the clusters that kept items. k-means leaves clusters empty when the items have
 * fewer distinct positions than k (all identical, all empty captions); the plot and its legend would show
 * clusters of nothing.
 */
function withoutEmptyClusters(labels: Int32Array, k: number): { labels: Int32Array; count: number } {
  const sizes = new Int32Array(k);
  for (const label of labels) sizes[label]++;
  if (sizes.every((size) => size > 0)) return { labels, count: k };
  const renumbered = new Int32Array(k).fill(-1);
  let count = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) renumbered[c] = count++;
  return { labels: labels.map((label) => renumbered[label]), count };
}

/** 1 / the length of each row (0 for a zero row); refuses a row holding NaN or ±Infinity. */
function unitScales(data: Float32Array, rows: number, dims: number): Float64Array {
  const scales = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let j = 0; j < dims; j++) {
      const v = data[i * dims + j];
      if (!Number.isFinite(v)) throw new ExploreInputError(`Item ${i + 1}'s vector holds ${v}: its embedding is broken. Embed it again or leave it out.`);
      norm += v * v;
    }
    scales[i] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }
  return scales;
}

function unitRows(data: Float32Array, rows: number, dims: number, scales: Float64Array): DenseMatrix {
  const out = new Float64Array(rows * dims);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dims; j++) out[i * dims + j] = data[i * dims + j] * scales[i];
  return { rows, cols: dims, data: out };
}

function columns(data: Float64Array, n: number, cols: number): [Float32Array, Float32Array] {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = data[i * cols];
    y[i] = cols > 1 ? data[i * cols + 1] : 0;
  }
  return [x, y];
}

/** Share of the reduction's variance the 2-D projection keeps. */
function keptVariance(full: DenseMatrix, projected: DenseMatrix): number {
  const total = columnVariances(full).reduce((a, b) => a + b, 0);
  const kept = columnVariances(projected).reduce((a, b) => a + b, 0);
  return total > 0 ? Math.min(1, kept / total) : 0;
}

function columnVariances(x: DenseMatrix): number[] {
  const { rows: n, cols: m, data } = x;
  const mean = new Float64Array(m);
  const squares = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = data[i * m + j];
      mean[j] += v;
      squares[j] += v * v;
    }
  }
  return Array.from({ length: m }, (_, j) => (n > 0 ? squares[j] / n - (mean[j] / n) ** 2 : 0));
}

function summarise(reduced: ReducedInput, labels: Int32Array, k: number): ClusterSummary[] {
  const sizes = new Int32Array(k);
  for (const label of labels) sizes[label]++;
  return Array.from({ length: k }, (_, id) => ({
    id,
    size: sizes[id],
    terms: reduced.terms ? clusterTerms(reduced.terms.matrix, reduced.terms.vocabulary, labels, id, TERMS_PER_CLUSTER).map((t) => t.term) : [],
  }));
}
