/** The seeded sample of an evaluation: the same seed and pool give the same images on every machine. */
import { seededRandom } from '../analytics/random';

/**
 * Draws `size` ids from `pool` with the seed (a partial Fisher-Yates shuffle of the pool in code-point
 * order, so the order the pool was listed in does not matter); all of them when `size` ≥ the pool.
 * The result is in code-point order.
 */
export function drawSample(pool: Iterable<string>, size: number, seed: number): string[] {
  const ids = [...new Set(pool)].sort(byCodePoint);
  const n = Math.max(0, Math.min(Math.floor(size), ids.length));
  if (n === ids.length) return ids;
  const random = seededRandom(seed);
  for (let i = 0; i < n; i++) {
    const j = i + random.int(ids.length - i);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids.slice(0, n).sort(byCodePoint);
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
