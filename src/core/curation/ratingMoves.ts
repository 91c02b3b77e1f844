/** Ratings follow their images: a renamed or moved image (or folder of images) keeps its stars under its new path. */
import type { RatingChanges, Ratings } from './ratingsFile';

/** One file or folder that moved, as dataset-relative POSIX paths. */
export interface PathMove {
  readonly from: string;
  readonly to: string;
}

/**
 * The change set that carries every rating at or below a moved path to the new path: the old keys
 * are cleared, the new ones set (a rating already at the new path gives way to the moved one).
 */
export function ratingMoveChanges(ratings: Ratings, moves: readonly PathMove[]): RatingChanges {
  const cleared = new Map<string, number>();
  const set = new Map<string, number>();
  for (const move of moves) {
    if (move.from === move.to) continue;
    for (const [key, stars] of ratings) {
      const rest = key === move.from ? '' : key.startsWith(`${move.from}/`) ? key.slice(move.from.length) : undefined;
      if (rest === undefined) continue;
      cleared.set(key, 0);
      set.set(move.to + rest, stars);
    }
  }
  return new Map([...cleared, ...set]);
}

/** The change set that clears every rating at or below `prefix` (a folder emptied for good). */
export function ratingsClearedUnder(ratings: Ratings, prefix: string): RatingChanges {
  const changes = new Map<string, number>();
  for (const key of ratings.keys()) if (key === prefix || key.startsWith(`${prefix}/`)) changes.set(key, 0);
  return changes;
}
