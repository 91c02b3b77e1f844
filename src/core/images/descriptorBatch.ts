/**
 * Built-in descriptors of many images: each file read once inside the dataset boundary (bounded),
 * looked up in the embedding cache by its content hash, described only when missing, a few at a time.
 */
import { BatchCancelledError } from '../captioning/abortableDelay';
import { contentKey, type EmbeddingCache } from '../embeddings/embeddingCache';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';
import { DESCRIPTOR_MODEL_ID, imageDescriptor } from './imageDescriptors';
import { MAX_IMAGE_BYTES } from './imageLimits';

/** One image's vector, or why it has none (the others go on). */
export type VectorItem = { readonly ok: true; readonly vector: Float32Array } | { readonly ok: false; readonly error: string };

export interface DescribeOptions {
  readonly signal?: AbortSignal;
  /** Images done so far (cache hits count as they are found). */
  readonly onProgress?: (done: number) => void;
  /** Images read and decoded at once: sharp runs them on libuv's pool (4 threads by default). */
  readonly concurrency?: number;
}

/** Descriptors kept per cache write: appends happen in groups, not once per image. */
const WRITE_GROUP = 64;

/** The descriptor of each image of `paths`; rejects with BatchCancelledError once `signal` aborts. */
export async function describeImages(paths: readonly string[], boundary: DatasetBoundary, cache: EmbeddingCache, options: DescribeOptions = {}): Promise<VectorItem[]> {
  const results: VectorItem[] = new Array(paths.length);
  const fresh: Array<{ key: string; vector: Float32Array }> = [];
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < paths.length) {
      if (options.signal?.aborted) throw new BatchCancelledError();
      const at = next++;
      results[at] = await describeOne(paths[at], boundary, cache, fresh);
      if (fresh.length >= WRITE_GROUP) await cache.add(fresh.splice(0));
      options.onProgress?.(++done);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, lane));
  } finally {
    // what was computed before a cancellation is kept: the next run starts from there
    await cache.add(fresh.splice(0));
  }
  return results;
}

async function describeOne(file: string, boundary: DatasetBoundary, cache: EmbeddingCache, fresh: Array<{ key: string; vector: Float32Array }>): Promise<VectorItem> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readRegularFile(file, MAX_IMAGE_BYTES, boundary);
    if (!bytes) throw new Error('the file does not exist');
  } catch (err) {
    return { ok: false, error: `Cannot read ${file}: ${(err as Error).message}` };
  }
  const key = contentKey(DESCRIPTOR_MODEL_ID, bytes);
  const hit = cache.get(key);
  if (hit) return { ok: true, vector: hit };
  try {
    const vector = await imageDescriptor(bytes, file);
    fresh.push({ key, vector });
    return { ok: true, vector };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
