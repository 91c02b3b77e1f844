/**
 * Embeddings from hosted models (registry entries with `embedding`): texts and images in batches,
 * through one RequestLane per model (its entry's concurrency and requests per minute, the batch
 * engine's retry policy), cached on disk by content hash + model so a second run sends nothing.
 * No vscode: the caller resolves trust and the key first.
 */
import { isHopeless } from '../core/captioning/failFast';
import { RequestLane } from '../core/captioning/requestLane';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/captioning/retryPolicy';
import { BatchCancelledError } from '../core/captioning/abortableDelay';
import { EmbeddingCache, EmbeddingCaches, contentKey } from '../core/embeddings/embeddingCache';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { readRegularFile } from '../core/files/regularFile';
import type { VectorItem } from '../core/images/descriptorBatch';
import { MAX_IMAGE_BYTES } from '../core/images/imageLimits';
import { prepareImage } from '../core/images/prepareImage';
import { toDataUrl } from '../core/images/preparedImage';
import { batchLimits } from '../providers/batchLimits';
import { requestEmbeddings } from '../providers/embeddingsClient';
import { ProviderError, type ModelEntry } from '../providers/types';

/** Inputs per request unless the entry says otherwise. */
export const DEFAULT_TEXT_BATCH = 32;
export const DEFAULT_IMAGE_BATCH = 8;
/** Longest image side sent when the entry names none: embedders look at 224-448 px. */
const DEFAULT_IMAGE_SIDE = 512;
/** One request's time limit. */
const REQUEST_TIMEOUT_MS = 120_000;

export interface HostedEmbedOptions {
  /** The model's key (from the caller's key check), or undefined for servers that need none. */
  readonly apiKey?: string;
  readonly signal?: AbortSignal;
  /** Items done so far (cache hits count at once). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** An item not in the cache: where its result goes, its cache key, and how to make its input. */
interface Miss {
  readonly at: readonly number[];
  readonly key: string;
  readonly input: () => Promise<string>;
}

export class HostedEmbeddings {
  private readonly caches: EmbeddingCaches;
  private readonly lanes = new Map<string, RequestLane>();

  constructor(
    cacheFolder: string,
    private readonly options: { readonly retryPolicy?: RetryPolicy; readonly timeoutMs?: number } = {},
  ) {
    this.caches = new EmbeddingCaches(cacheFolder);
  }

  /** Embeds texts (identical texts once). */
  async embedTexts(model: ModelEntry, texts: readonly string[], options: HostedEmbedOptions = {}): Promise<VectorItem[]> {
    const id = cacheId(model);
    const cache = await this.cache(id);
    const results: VectorItem[] = new Array(texts.length);
    const pending = new Map<string, { text: string; at: number[] }>();
    texts.forEach((text, at) => {
      const key = contentKey(id, text);
      const hit = cache.get(key);
      if (hit) results[at] = { ok: true, vector: hit };
      else if (pending.has(key)) pending.get(key)!.at.push(at);
      else pending.set(key, { text, at: [at] });
    });
    const misses = [...pending].map(([key, p]): Miss => ({ key, at: p.at, input: async () => p.text }));
    await this.embedMisses(model, cache, misses, model.embedding?.batchSize ?? DEFAULT_TEXT_BATCH, results, options);
    return results;
  }

  /** Embeds image files inside `boundary` (only for entries with `embedding.images`); a file that cannot be read or prepared fails alone. */
  async embedImages(model: ModelEntry, paths: readonly string[], boundary: DatasetBoundary, options: HostedEmbedOptions = {}): Promise<VectorItem[]> {
    if (!model.embedding?.images) throw new ProviderError('bad-request', `${model.label} embeds texts only (its entry has no "embedding": { "images": true }).`);
    const id = cacheId(model);
    const cache = await this.cache(id);
    const results: VectorItem[] = new Array(paths.length);
    const misses: Miss[] = [];
    const seen = new Map<string, number[]>();
    for (let at = 0; at < paths.length; at++) {
      if (options.signal?.aborted) throw new BatchCancelledError();
      const file = paths[at];
      let bytes: Buffer | undefined;
      try {
        bytes = await readRegularFile(file, MAX_IMAGE_BYTES, boundary);
        if (!bytes) throw new Error('the file does not exist');
      } catch (err) {
        results[at] = { ok: false, error: `Cannot read ${file}: ${(err as Error).message}` };
        continue;
      }
      const key = contentKey(id, bytes);
      const hit = cache.get(key);
      if (hit) results[at] = { ok: true, vector: hit };
      else if (seen.has(key)) seen.get(key)!.push(at);
      else {
        const positions = [at];
        seen.set(key, positions);
        // prepared only when its batch is sent: a batch's images are in memory, not the dataset's
        misses.push({ key, at: positions, input: async () => toDataUrl(await prepareImage(file, { maxSide: model.maxImageSide ?? DEFAULT_IMAGE_SIDE, maxBase64Chars: model.maxInlineBase64, format: 'jpeg', signal: options.signal })) });
      }
    }
    await this.embedMisses(model, cache, misses, model.embedding.batchSize ?? DEFAULT_IMAGE_BATCH, results, options);
    return results;
  }

  dispose(): void {
    for (const lane of this.lanes.values()) lane.dispose();
  }

  /**
   * Sends the misses in batches through the model's lane. A hopeless failure (unreachable, key
   * refused, no such model) ends the whole call with that error; any other failure, after the lane's
   * retries, fails the items of its batch.
   */
  private async embedMisses(model: ModelEntry, cache: EmbeddingCache, misses: readonly Miss[], batchSize: number, results: VectorItem[], options: HostedEmbedOptions): Promise<void> {
    const total = results.length;
    let done = total - misses.reduce((n, m) => n + m.at.length, 0);
    options.onProgress?.(done, total);
    if (misses.length === 0) return;
    const lane = this.laneFor(model);
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    let hopeless: unknown;
    const batches: Miss[][] = [];
    for (let start = 0; start < misses.length; start += batchSize) batches.push(misses.slice(start, start + batchSize));
    await Promise.all(
      batches.map(async (batch) => {
        try {
          // inputs are made once a slot is free (images are encoded then), and kept for retries
          let ready: Array<{ m: Miss; input: string }> | undefined;
          const vectors = await lane.run(
            async (attemptSignal) => {
              ready ??= await this.inputsOf(batch, results);
              if (ready.length === 0) return [];
              return requestEmbeddings({ model, inputs: ready.map((p) => p.input), apiKey: options.apiKey, signal: attemptSignal, timeoutMs: this.options.timeoutMs ?? REQUEST_TIMEOUT_MS });
            },
            signal,
            (err) => !isHopeless(err),
          );
          const sent = ready ?? [];
          sent.forEach((p, i) => {
            for (const at of p.m.at) results[at] = { ok: true, vector: vectors[i] };
          });
          await cache.add(sent.map((p, i) => ({ key: p.m.key, vector: vectors[i] })));
        } catch (err) {
          if (options.signal?.aborted || hopeless !== undefined) return;
          if (isHopeless(err)) {
            hopeless = err;
            stop.abort(); // the other batches would meet the same wall
            return;
          }
          for (const m of batch) for (const at of m.at) results[at] ??= { ok: false, error: (err as Error).message };
        }
        done += batch.reduce((n, m) => n + m.at.length, 0);
        options.onProgress?.(done, total);
      }),
    );
    if (options.signal?.aborted) throw new BatchCancelledError();
    if (hopeless !== undefined) throw hopeless;
  }

  /** The batch's inputs; an item whose input cannot be made (an image that does not decode) fails alone. */
  private async inputsOf(batch: readonly Miss[], results: VectorItem[]): Promise<Array<{ m: Miss; input: string }>> {
    const made = await Promise.all(batch.map((m) => m.input().then((input) => ({ m, input }), (err: unknown) => ({ m, error: (err as Error).message }))));
    for (const p of made) if ('error' in p) for (const at of p.m.at) results[at] = { ok: false, error: p.error };
    return made.filter((p): p is { m: Miss; input: string } => 'input' in p);
  }

  private laneFor(model: ModelEntry): RequestLane {
    // the entry's own limits (or its preset's): the caption batch settings are not about this panel
    const limits = batchLimits({ concurrency: 0, rpm: 0 }, model);
    let lane = this.lanes.get(model.id);
    if (!lane) this.lanes.set(model.id, (lane = new RequestLane(limits, this.options.retryPolicy ?? DEFAULT_RETRY_POLICY)));
    else lane.setLimits(limits);
    return lane;
  }

  private cache(id: string): Promise<EmbeddingCache> {
    return this.caches.get(id);
  }

}

/** Everything that changes the vectors: where, which model, and how it is asked. */
export function cacheId(model: ModelEntry): string {
  const options = model.embedding ?? {};
  return ['hosted', model.baseUrl ?? 'https://api.openai.com/v1', model.model ?? '', options.inputType ?? '', options.dimensions ?? '', options.truncate ?? ''].join('\n');
}
