/**
 * Deterministic dataset shards for `--shard I/N` (issue 14): N processes, each given its index, split a
 * dataset with no coordination and cover every image exactly once. An image's shard depends only on its
 * own relative path (a hash), so adding or removing files elsewhere in the tree never moves it.
 */
import { createHash } from 'node:crypto';

/** Shard `index` (0-based) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** The whole dataset as one shard. */
export const WHOLE: ShardSpec = { index: 0, count: 1 };

/**
 * Reads `I/N` (0 ≤ I < N, N ≤ 65,536). Throws an Error whose message names the fix, e.g. for `5/4`:
 * "--shard 5/4: the index must be below the count (0 to 3)".
 */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new Error(`--shard ${text}: expected INDEX/COUNT, e.g. 0/4 (indexes start at 0)`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > 65536) throw new Error(`--shard ${text}: the count must be 1 to 65536`);
  if (index >= count) throw new Error(`--shard ${text}: the index must be below the count (0 to ${count - 1})`);
  return { index, count };
}

/**
 * The shard an image belongs to: the first 8 bytes of SHA-256 of its '/'-separated path relative to
 * the dataset root, modulo the count. Paths are compared as given (case matters, as on Linux); a
 * Windows caller passes the index's relative path, which is already '/'-separated.
 */
export function shardOf(relativePath: string, count: number): number {
  if (count === 1) return 0;
  const digest = createHash('sha256').update(relativePath, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count));
}

/** The items of `shard`, in their given order; `pathOf` gives each item's '/'-separated relative path. */
export function inShard<T>(items: readonly T[], shard: ShardSpec, pathOf: (item: T) => string): T[] {
  if (shard.count === 1) return [...items];
  return items.filter((item) => shardOf(pathOf(item), shard.count) === shard.index);
}
