/**
 * Image and text embeddings from the local worker, cached on disk by content hash so a second run
 * over the same dataset embeds nothing again. Per-item errors stay per item; cancellation stops
 * between batches (and inside one, through the worker's own cancellation).
 */
import { EmbeddingCache, EmbeddingCaches, contentKey } from '../core/embeddings/embeddingCache';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { readRegularFile } from '../core/files/regularFile';
import { MAX_IMAGE_BYTES } from '../core/images/imageLimits';
import { LocalWorkerError } from '../providers/local/workerClient';
import { decodeEmbeddings, type EmbedReply, type ImageInput, type ModelRef } from '../worker/protocol';

/** Images per worker request (each is decoded and resized in the worker). */
export const IMAGE_BATCH_SIZE = 16;
/** Texts per worker request: a round trip costs ~0.15 ms, so texts go in larger groups. */
export const TEXT_BATCH_SIZE = 64;
/** Requests in flight: the worker reads the next one while it runs the current one. */
export const REQUESTS_IN_FLIGHT = 3;

/** The worker requests this service needs (LocalModelService.request in the extension, a WorkerClient in tests). */
export interface EmbeddingBackend {
  embedImages(params: { readonly model: ModelRef; readonly images: readonly ImageInput[] }, signal?: AbortSignal): Promise<EmbedReply>;
  embedText(params: { readonly model: ModelRef; readonly texts: readonly string[] }, signal?: AbortSignal): Promise<EmbedReply>;
}

export type EmbeddingItem = { readonly ok: true; readonly vector: Float32Array } | { readonly ok: false; readonly error: string };

export interface EmbedOptions {
  readonly signal?: AbortSignal;
  /** Items done so far (cache hits count at once). */
  readonly onProgress?: (done: number, total: number) => void;
}

export class EmbeddingService {
  private readonly caches: EmbeddingCaches;

  constructor(
    private readonly backend: EmbeddingBackend,
    cacheFolder: string,
  ) {
    this.caches = new EmbeddingCaches(cacheFolder);
  }

  /** Embeds image files inside `boundary`: a file that cannot be read or decoded (or lies outside) errors alone. */
  async embedImages(model: ModelRef, paths: readonly string[], boundary: DatasetBoundary, options: EmbedOptions = {}): Promise<EmbeddingItem[]> {
    const cache = await this.cache(model);
    const results: EmbeddingItem[] = new Array(paths.length);
    let done = 0;
    await inLanes(paths.length, IMAGE_BATCH_SIZE, options.signal, async (start) => {
      const batch = paths.slice(start, start + IMAGE_BATCH_SIZE);
      const misses: Array<{ readonly at: number; readonly key: string; readonly path: string }> = [];
      await Promise.all(
        batch.map(async (file, i) => {
          try {
            const bytes = await readRegularFile(file, MAX_IMAGE_BYTES, boundary);
            if (!bytes) throw new Error('the file does not exist');
            const key = contentKey(cacheId(model), bytes);
            const hit = cache.get(key);
            if (hit) results[start + i] = { ok: true, vector: hit };
            else misses.push({ at: start + i, key, path: file });
          } catch (err) {
            results[start + i] = { ok: false, error: `Cannot read ${file}: ${(err as Error).message}` };
          }
        }),
      );
      if (misses.length > 0) {
        const reply = await this.backend.embedImages({ model, images: misses.map((m) => ({ path: m.path })) }, options.signal);
        await this.store(cache, misses, reply, results);
      }
      done += batch.length;
      options.onProgress?.(done, paths.length);
    });
    return results;
  }

  /** Embeds texts (identical texts are embedded once). */
  async embedTexts(model: ModelRef, texts: readonly string[], options: EmbedOptions = {}): Promise<EmbeddingItem[]> {
    const cache = await this.cache(model);
    const results: EmbeddingItem[] = new Array(texts.length);
    const keys = texts.map((text) => contentKey(cacheId(model), text));
    const pending = new Map<string, { readonly text: string; readonly at: number[] }>();
    keys.forEach((key, at) => {
      const hit = cache.get(key);
      if (hit) results[at] = { ok: true, vector: hit };
      else if (pending.has(key)) pending.get(key)!.at.push(at);
      else pending.set(key, { text: texts[at], at: [at] });
    });
    let done = texts.length - [...pending.values()].reduce((n, p) => n + p.at.length, 0);
    options.onProgress?.(done, texts.length);
    const misses = [...pending.entries()];
    await inLanes(misses.length, TEXT_BATCH_SIZE, options.signal, async (start) => {
      const batch = misses.slice(start, start + TEXT_BATCH_SIZE);
      const reply = await this.backend.embedText({ model, texts: batch.map(([, p]) => p.text) }, options.signal);
      const batchResults: EmbeddingItem[] = [];
      await this.store(cache, batch.map(([key], i) => ({ at: i, key })), reply, batchResults);
      batch.forEach(([, p], i) => {
        for (const at of p.at) results[at] = batchResults[i];
        done += p.at.length;
      });
      options.onProgress?.(done, texts.length);
    });
    return results;
  }

  private async store(cache: EmbeddingCache, asked: ReadonlyArray<{ readonly at: number; readonly key: string }>, reply: EmbedReply, results: EmbeddingItem[]): Promise<void> {
    const answers = decodeEmbeddings(reply);
    if (answers.length !== asked.length) throw new Error(`The worker answered ${answers.length} of ${asked.length} items`);
    const fresh: Array<{ key: string; vector: Float32Array }> = [];
    asked.forEach((item, i) => {
      const answer = answers[i];
      if (!answer.ok) {
        results[item.at] = { ok: false, error: answer.error };
        return;
      }
      const vector = answer.value;
      results[item.at] = { ok: true, vector };
      fresh.push({ key: item.key, vector });
    });
    await cache.add(fresh);
  }

  private cache(model: ModelRef): Promise<EmbeddingCache> {
    return this.caches.get(cacheId(model));
  }

}

/** dtype changes the vectors, so it is part of the cache's identity. */
function cacheId(model: ModelRef): string {
  return model.dtype ? `${model.id}#${model.dtype}` : model.id;
}

/** Runs `work` for the batch starts 0, size, 2·size, … with REQUESTS_IN_FLIGHT of them at once, stopping when cancelled. */
async function inLanes(total: number, size: number, signal: AbortSignal | undefined, work: (start: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false; // one lane's failure ends the others before their next batch
  const lane = async (): Promise<void> => {
    while (next < total && !failed) {
      throwIfCancelled(signal);
      const start = next;
      next += size;
      await work(start).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: REQUESTS_IN_FLIGHT }, lane));
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LocalWorkerError('cancelled', 'Cancelled');
}
