/** A pair of items (i < j) and their similarity. */
export interface SimilarPair {
  readonly i: number;
  readonly j: number;
  readonly cosine: number;
}

export interface NearDuplicateOptions {
  /** Cosine similarity at or above which a pair is reported. */
  readonly minCosine: number;
  /** Up to this many items every pair is compared (exact); above it, random-hyperplane LSH buckets (approximate). */
  readonly exactLimit?: number;
  /** LSH: hash tables, and bits per table (default log2(n / 8), 8..16); a pair at cosine 0.95 is missed with probability (1 - 0.9^bits)^tables. */
  readonly tables?: number;
  readonly bits?: number;
  readonly seed?: number;
}

/** Measured on 2 loaded cores: every pair of 5,000 vectors of 512 numbers took 9.2 s, so larger sets than this take buckets. */
export const DEFAULT_EXACT_LIMIT = 2000;

/**
 * Pairs of embeddings with cosine similarity ≥ `minCosine`, sorted by i then j. Exact (every pair)
 * up to `exactLimit` items; beyond, only pairs that share a bucket in one of `tables` random-
 * hyperplane hash tables are compared, so a true pair can be missed (see the option's odds) but a
 * reported pair always meets the threshold. Zero vectors are never similar to anything.
 */
export function nearDuplicateVectors(vectors: readonly ArrayLike<number>[], options: NearDuplicateOptions): { pairs: SimilarPair[]; exact: boolean } {
  const unit = vectors.map(normalised);
  const exact = vectors.length <= (options.exactLimit ?? DEFAULT_EXACT_LIMIT);
  const pairs: SimilarPair[] = [];
  if (exact) {
    for (let i = 0; i < unit.length; i++) {
      for (let j = i + 1; j < unit.length; j++) {
        const cosine = dot(unit[i], unit[j]);
        if (cosine >= options.minCosine) pairs.push({ i, j, cosine });
      }
    }
    return { pairs, exact };
  }
  const tables = options.tables ?? 24;
  // About 8 items a bucket: enough bits that buckets stay small, few enough that close pairs collide.
  const bits = options.bits ?? Math.min(16, Math.max(8, Math.round(Math.log2(unit.length / 8))));
  const codes = lshCodes(unit, tables, bits, options.seed ?? 1);
  for (let t = 0; t < tables; t++) {
    for (const bucket of buckets(codes[t], unit)) {
      for (let a = 0; a < bucket.length; a++) {
        for (let b = a + 1; b < bucket.length; b++) {
          const i = bucket[a];
          const j = bucket[b];
          // Compared already when they shared a bucket in an earlier table (no set of pairs: 100,000 items overflow one).
          let earlier = false;
          for (let u = 0; u < t && !earlier; u++) earlier = codes[u][i] === codes[u][j];
          if (earlier) continue;
          const cosine = dot(unit[i], unit[j]);
          if (cosine >= options.minCosine) pairs.push({ i, j, cosine });
        }
      }
    }
  }
  pairs.sort((p, q) => p.i - q.i || p.j - q.j);
  return { pairs, exact };
}

function normalised(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += v[k] * v[k];
  const out = new Float32Array(v.length);
  if (sum === 0) return out;
  const scale = 1 / Math.sqrt(sum);
  for (let k = 0; k < v.length; k++) out[k] = v[k] * scale;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k] * b[k];
  return sum;
}

/** Each table's code of each item: the signs of `bits` seeded random projections. */
function lshCodes(unit: readonly Float32Array[], tables: number, bits: number, seed: number): Uint32Array[] {
  const dims = unit[0]?.length ?? 0;
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return (state + 1) / 4294967297;
  };
  // xorshift32 + Box–Muller: seeded so a run can be repeated.
  const gaussian = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const codes: Uint32Array[] = [];
  for (let t = 0; t < tables; t++) {
    const planes = Array.from({ length: bits }, () => Float32Array.from({ length: dims }, gaussian));
    const code = new Uint32Array(unit.length);
    for (let i = 0; i < unit.length; i++) {
      let c = 0;
      for (let b = 0; b < bits; b++) if (dot(planes[b], unit[i]) >= 0) c |= 1 << b;
      code[i] = c;
    }
    codes.push(code);
  }
  return codes;
}

/** Items (ascending) sharing a code, two or more a bucket; zero vectors are in none. */
function buckets(code: Uint32Array, unit: readonly Float32Array[]): number[][] {
  const byCode = new Map<number, number[]>();
  for (let i = 0; i < code.length; i++) {
    if (!unit[i].some((x) => x !== 0)) continue;
    const bucket = byCode.get(code[i]);
    if (bucket) bucket.push(i);
    else byCode.set(code[i], [i]);
  }
  return [...byCode.values()].filter((b) => b.length > 1);
}
