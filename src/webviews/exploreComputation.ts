import type { ExploreInput, ExploreLayout, ExploreOptions, KSuggestionResult } from '../core/explore/exploreTypes';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import type { CaptionTexts } from '../core/dataset/captionTexts';
import type { ImageEntry } from '../core/dataset/types';
import type { ExploreVectors } from '../services/exploreVectors';
import type { ExploreSettings } from './protocol/exploreMessages';
import { collectItems, withoutItems, type ExploreItemSet } from './exploreItems';

/** A run's cancellation and progress, as the explore thread takes them. */
export interface EngineRun {
  readonly signal?: AbortSignal;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

/** The explore thread's client (ExploreRunner): layouts and k suggestions off the extension host's thread. */
export interface LayoutEngine {
  layout(input: ExploreInput, options: ExploreOptions, run?: EngineRun): Promise<ExploreLayout>;
  suggestK(input: ExploreInput, range: { min: number; max: number; seed: number; reducedDims: number }, run?: EngineRun): Promise<KSuggestionResult>;
}

/** Layouts kept on disk by what they were computed from (LayoutCache). */
export interface LayoutStore {
  key(input: ExploreInput, options: ExploreOptions, sourceId: string): string;
  get(key: string): Promise<ExploreLayout | undefined>;
  put(key: string, layout: ExploreLayout): Promise<void>;
}

export interface ComputationDeps {
  readonly engine: LayoutEngine;
  readonly cache?: LayoutStore;
  readonly vectors: ExploreVectors;
  /** Absolute path of an image (DatasetIndex.imagePath). */
  readonly imagePath: (image: ImageEntry) => string;
  /** Stop words for the built-in caption vectors (the English list plus the user's). */
  readonly stopWords: () => readonly string[];
}

/** What a layout shows: its items (those with a vector), the layout, where it came from, the items left out. */
export interface ComputedLayout {
  readonly items: ExploreItemSet;
  readonly layout: ExploreLayout;
  readonly fromCache: boolean;
  readonly failed: ReadonlyArray<{ readonly relPath: string; readonly error: string }>;
}

/** Fixed parts of every layout: k-means on ≤ 50 dimensions, seeded, four restarts (the best inertia wins). */
export const REDUCED_DIMS = 50;
const SEED = 0;
const RESTARTS = 4;

/** The layout options of a run's settings. */
export function layoutOptions(settings: ExploreSettings): ExploreOptions {
  return { k: settings.k, reducedDims: REDUCED_DIMS, projection: settings.projection, seed: SEED, restarts: RESTARTS };
}

/**
 * Turns a scope's images into a layout: their captions, their vectors (texts for the built-in
 * caption source, which the thread embeds itself), a cached layout when the inputs are unchanged,
 * else the explore thread's. Items whose vector failed are left out and listed.
 */
export class ExploreComputation {
  constructor(private readonly deps: ComputationDeps) {}

  async layout(settings: ExploreSettings, images: readonly ImageEntry[], texts: CaptionTexts, boundary: DatasetBoundary, run: EngineRun): Promise<ComputedLayout> {
    const { items, input, failed } = await this.prepare(settings, images, texts, boundary, run);
    const options = layoutOptions(settings);
    const key = this.deps.cache?.key(input, options, settings.sourceId);
    const cached = key ? await this.deps.cache!.get(key) : undefined;
    run.signal?.throwIfAborted();
    if (cached && cached.count === items.images.length) return { items, layout: cached, fromCache: true, failed };
    const layout = await this.deps.engine.layout(input, options, run);
    run.signal?.throwIfAborted();
    // a cache that cannot be written costs the next open its speed, not this layout
    if (key) await this.deps.cache!.put(key, layout).catch(() => undefined);
    return { items, layout, fromCache: false, failed };
  }

  async suggestK(settings: ExploreSettings, range: { min: number; max: number }, images: readonly ImageEntry[], texts: CaptionTexts, boundary: DatasetBoundary, run: EngineRun): Promise<KSuggestionResult> {
    const { input } = await this.prepare(settings, images, texts, boundary, run);
    return this.deps.engine.suggestK(input, { ...range, seed: SEED, reducedDims: REDUCED_DIMS }, run);
  }

  /** The items and what the thread lays out: caption texts (built in) or one vector per item. */
  private async prepare(settings: ExploreSettings, images: readonly ImageEntry[], texts: CaptionTexts, boundary: DatasetBoundary, run: EngineRun): Promise<{ items: ExploreItemSet; input: ExploreInput; failed: ComputedLayout['failed'] }> {
    run.onProgress?.('Reading captions', 0, images.length);
    await texts.load(images, run.signal, (done, total) => run.onProgress?.('Reading captions', done, total));
    run.signal?.throwIfAborted();
    const all = await collectItems(images, texts, run.signal);
    if (settings.target === 'captions' && settings.sourceId === 'builtin') {
      return { items: all, input: { kind: 'texts', texts: all.captions, stopWords: this.deps.stopWords() }, failed: [] };
    }
    const choice = this.deps.vectors.listSources(settings.target).find((s) => s.id === settings.sourceId);
    if (!choice) throw new Error(`The embedding source "${settings.sourceId}" is not known for ${settings.target}: pick another one.`);
    if (!choice.available) throw new Error(`${choice.label}: ${choice.why ?? 'not available now.'}`);
    const inputs = images.map((image, i) => ({ imagePath: this.deps.imagePath(image), caption: all.captions[i] }));
    const stage = settings.target === 'images' ? 'Embedding images' : 'Embedding captions';
    const vectors = await this.deps.vectors.vectors(settings.target, choice.source, inputs, boundary, {
      signal: run.signal,
      onProgress: (done, total) => run.onProgress?.(stage, done, total),
    });
    run.signal?.throwIfAborted();
    const drop = new Set(vectors.failed.map((f) => f.index));
    const failed = vectors.failed.map((f) => ({ relPath: all.relPaths[f.index], error: f.error }));
    if (drop.size === images.length) throw new Error(`No item could be embedded with ${choice.label}${failed[0] ? ` (${failed[0].relPath}: ${failed[0].error})` : ''}.`);
    const items = withoutItems(all, drop);
    const data = drop.size === 0 ? vectors.data : keepRows(vectors.data, vectors.dims, drop);
    return { items, input: { kind: 'vectors', dims: vectors.dims, data, texts: items.captions }, failed };
  }
}

/** The rows of a row-major matrix not in `drop`. */
function keepRows(data: Float32Array, dims: number, drop: ReadonlySet<number>): Float32Array {
  const rows = data.length / dims;
  const out = new Float32Array((rows - drop.size) * dims);
  let j = 0;
  for (let i = 0; i < rows; i++) {
    if (drop.has(i)) continue;
    out.set(data.subarray(i * dims, (i + 1) * dims), j * dims);
    j++;
  }
  return out;
}
