/** Two items by index (i < j); the searches' pairs carry more, which grouping ignores. */
export interface IndexPair {
  readonly i: number;
  readonly j: number;
}


/** A pair of 64-bit hashes (i < j) within the distance asked for. */
export interface HashPair {
  readonly i: number;
  readonly j: number;
  readonly distance: number;
}

/**
 * Every pair of 64-bit hashes (e.g. dHashes) at Hamming distance ≤ `maxDistance`, exactly, sorted
 * by i then j. Multi-index hashing: the 64 bits are cut into maxDistance + 1 chunks; two hashes that
 * close agree on at least one whole chunk (pigeonhole), so only items sharing a chunk value are compared.
 */
export function hammingNeighbours(hashes: readonly bigint[], maxDistance: number): HashPair[] {
  const n = hashes.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  hashes.forEach((h, k) => {
    hi[k] = Number((h >> 32n) & 0xffffffffn);
    lo[k] = Number(h & 0xffffffffn);
  });
  const chunks = Math.min(64, Math.max(1, Math.floor(maxDistance) + 1));
  const keys: bigint[][] = [];
  const pairs: HashPair[] = [];
  for (let c = 0; c < chunks; c++) {
    const from = Math.floor((c * 64) / chunks);
    const to = Math.floor(((c + 1) * 64) / chunks);
    const mask = (1n << BigInt(to - from)) - 1n;
    const buckets = new Map<bigint, number[]>();
    const chunkKeys: bigint[] = new Array(n);
    keys.push(chunkKeys);
    for (let k = 0; k < n; k++) {
      const key = (hashes[k] >> BigInt(from)) & mask;
      chunkKeys[k] = key;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(k);
      else buckets.set(key, [k]);
    }
    for (const bucket of buckets.values()) {
      for (let a = 0; a < bucket.length; a++) {
        for (let b = a + 1; b < bucket.length; b++) {
          const i = bucket[a];
          const j = bucket[b];
          // Compared already under an earlier chunk they share (no set of pairs: 100,000 hashes can overflow one).
          let earlier = false;
          for (let d = 0; d < c && !earlier; d++) earlier = keys[d][i] === keys[d][j];
          if (earlier) continue;
          const distance = popcount(hi[i] ^ hi[j]) + popcount(lo[i] ^ lo[j]);
          if (distance <= maxDistance) pairs.push({ i, j, distance });
        }
      }
    }
  }
  return pairs.sort((p, q) => p.i - q.i || p.j - q.j);
}

/** Set bits of a 32-bit integer. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Connected groups of the pairs given (each pair joins two items), as ascending member lists; for "these N images are alike". */
export function pairGroups(pairs: readonly IndexPair[]): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const { i, j } of pairs) {
    if (!parent.has(i)) parent.set(i, i);
    if (!parent.has(j)) parent.set(j, j);
    const a = find(i);
    const b = find(j);
    if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
  }
  const groups = new Map<number, number[]>();
  for (const x of [...parent.keys()].sort((a, b) => a - b)) {
    const root = find(x);
    const group = groups.get(root);
    if (group) group.push(x);
    else groups.set(root, [x]);
  }
  return [...groups.values()];
}
