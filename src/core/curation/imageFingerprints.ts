/**
 * Recognizing an image renamed or moved outside VS Code (a file manager, `mv`, `git mv`): the rated
 * image that vanished and the new image that appeared have the same size, and either the same file
 * identity (a rename keeps the inode and the modification time) or the same content (a copy and delete, another disk).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { openRegularFile } from '../files/regularFile';

/** What is known of an image file to recognize it under another name. */
export interface ImageFingerprint {
  readonly size: number;
  readonly dev: number;
  readonly ino: number;
  /** A rename keeps it; a new file that reuses a deleted file's inode does not. */
  readonly mtimeMs: number;
  /** `contentHash`; absent when it was not taken (yet). */
  readonly hash?: string;
}

/** Bytes read from each end of a file for its content hash: a bounded read however large the image. */
export const HASHED_BYTES_PER_END = 64 * 1024;

/** The size and identity of a regular file (links are not followed: a link is no image to pair); undefined when it is not one. */
export async function statFingerprint(file: string): Promise<ImageFingerprint | undefined> {
  try {
    const stat = await fs.lstat(file);
    return stat.isFile() ? { size: stat.size, dev: stat.dev, ino: stat.ino, mtimeMs: stat.mtimeMs } : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * A hash of the file's size and its first and last `HASHED_BYTES_PER_END` bytes (the whole file
 * when smaller), read through the dataset boundary; undefined when the file is gone.
 */
export async function contentHash(file: string, boundary: DatasetBoundary): Promise<string | undefined> {
  const opened = await openRegularFile(file, boundary);
  if (!opened) return undefined;
  const { handle, size } = opened;
  try {
    const hash = createHash('sha256').update(`${size}\0`);
    const headLength = Math.min(size, HASHED_BYTES_PER_END);
    const head = Buffer.alloc(headLength);
    await handle.read(head, 0, headLength, 0);
    hash.update(head);
    const tailLength = Math.min(Math.max(size - headLength, 0), HASHED_BYTES_PER_END);
    if (tailLength > 0) {
      const tail = Buffer.alloc(tailLength);
      await handle.read(tail, 0, tailLength, size - tailLength);
      hash.update(tail);
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/** A new image that may be a vanished one under its new name. */
export interface PairCandidate {
  /** Dataset-relative '/' path. */
  readonly relPath: string;
  readonly absPath: string;
  readonly fingerprint: ImageFingerprint;
}

export interface PairingResult {
  /** Vanished image -> the new image it became. */
  readonly moves: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  /** Vanished images no new image matched (or several did, equally well). */
  readonly unmatched: readonly string[];
}

/**
 * Pairs each vanished image (dataset-relative path -> its fingerprint while it existed) with the one
 * candidate of the same size that is the same file (device, inode, modification time) or, failing that, has the same
 * content hash. Only candidates of a vanished image's size are hashed (`hashOf`, once each). Where
 * several candidates match equally, the one with the same file name wins; otherwise none does.
 */
export async function pairVanishedImages(
  vanished: ReadonlyMap<string, ImageFingerprint>,
  candidates: readonly PairCandidate[],
  hashOf: (candidate: PairCandidate) => Promise<string | undefined>,
): Promise<PairingResult> {
  const taken = new Set<string>();
  const hashes = new Map<string, Promise<string | undefined>>();
  const hashed = (c: PairCandidate): Promise<string | undefined> => {
    let hash = hashes.get(c.relPath);
    if (!hash) hashes.set(c.relPath, (hash = hashOf(c)));
    return hash;
  };
  // Candidates by size: each vanished image looks only at its size's, not at the whole batch (a moved folder is thousands of each).
  const bySize = new Map<number, PairCandidate[]>();
  for (const c of candidates) {
    const same = bySize.get(c.fingerprint.size);
    if (same) same.push(c);
    else bySize.set(c.fingerprint.size, [c]);
  }
  const moves: Array<{ from: string; to: string }> = [];
  const unmatched: string[] = [];
  for (const [from, print] of vanished) {
    const sameSize = (bySize.get(print.size) ?? []).filter((c) => !taken.has(c.relPath));
    let matches = sameSize.filter((c) => c.fingerprint.dev === print.dev && c.fingerprint.ino === print.ino && c.fingerprint.mtimeMs === print.mtimeMs);
    if (matches.length === 0 && print.hash !== undefined) {
      const withHashes = await Promise.all(sameSize.map(async (c) => ({ c, hash: await hashed(c) })));
      matches = withHashes.filter((h) => h.hash === print.hash).map((h) => h.c);
    }
    if (matches.length > 1) matches = matches.filter((c) => path.posix.basename(c.relPath) === path.posix.basename(from));
    if (matches.length === 1) {
      taken.add(matches[0].relPath);
      moves.push({ from, to: matches[0].relPath });
    } else unmatched.push(from);
  }
  return { moves, unmatched };
}
