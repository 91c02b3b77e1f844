/** Adjusted Rand index: agreement of two labellings of the same items, 1 when identical up to renaming, ~0 by chance. */

const pairs = (m: number): number => (m * (m - 1)) / 2;

/** ARI of labellings `a` and `b` (same length). */
export function adjustedRand(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Labellings differ in size: ${a.length} and ${b.length}`);
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  let index = 0;
  for (const m of table.values()) index += pairs(m);
  let sumA = 0;
  for (const m of rows.values()) sumA += pairs(m);
  let sumB = 0;
  for (const m of cols.values()) sumB += pairs(m);
  const expected = (sumA * sumB) / (pairs(n) || 1);
  const max = (sumA + sumB) / 2;
  // Both labellings a single cluster (or each item its own): they agree perfectly, as scikit-learn says.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
