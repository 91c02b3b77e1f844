/**
 * Difference hashes of a dataset's images for the near-duplicate image rule, read inside the
 * dataset's boundary a few at a time (sharp decodes on its own threads, not the caller's), and kept
 * per path, size and modification time so a second lint hashes only what changed.
 */
import { stat } from 'node:fs/promises';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';
import { MAX_IMAGE_BYTES } from '../images/imageLimits';
import { differenceHash } from '../images/perceptualHash';

/** Images decoded at once. */
const LANES = 4;
/** Hashes kept at most (a hash and its key are ~200 bytes: ~40 MB for 200,000 images). */
const MAX_KEPT = 200_000;

export interface HashRun {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Each image's hash, or why it has none. */
export type ImageHash = { readonly ok: true; readonly hash: bigint } | { readonly ok: false; readonly error: string };

export class ImageHashes {
  private readonly kept = new Map<string, { readonly key: string; readonly hash: bigint }>();

  /** The dHash of each image (index-aligned); an unreadable image errors alone. */
  async hashes(paths: readonly string[], boundary: DatasetBoundary, run: HashRun = {}): Promise<ImageHash[]> {
    const out: ImageHash[] = new Array(paths.length);
    let next = 0;
    let done = 0;
    const lane = async (): Promise<void> => {
      while (next < paths.length) {
        run.signal?.throwIfAborted();
        const k = next++;
        out[k] = await this.hash(paths[k], boundary);
        run.onProgress?.(++done, paths.length);
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    run.signal?.throwIfAborted();
    return out;
  }

  private async hash(file: string, boundary: DatasetBoundary): Promise<ImageHash> {
    try {
      const info = await stat(file);
      const key = `${info.size}:${info.mtimeMs}`;
      const kept = this.kept.get(file);
      if (kept?.key === key) return { ok: true, hash: kept.hash };
      const bytes = await readRegularFile(file, MAX_IMAGE_BYTES, boundary);
      if (!bytes) return { ok: false, error: `${file} does not exist` };
      const hash = await differenceHash(bytes);
      if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
      this.kept.set(file, { key, hash });
      return { ok: true, hash };
    } catch (err) {
      return { ok: false, error: `Cannot hash ${file}: ${(err as Error).message}` };
    }
  }
}
