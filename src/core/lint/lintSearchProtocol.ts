/** Messages between the extension host and the lint search thread (lintSearchThread.ts). */

/** Host to thread: one search, answered by its id. */
export type ToLintSearchThread =
  /** Caption embeddings, `count` rows of `dims` floats: pairs with cosine ≥ minCosine. */
  | { readonly kind: 'vectors'; readonly id: number; readonly dims: number; readonly data: Float32Array; readonly minCosine: number; readonly exactLimit?: number }
  /** 64-bit image hashes: pairs at Hamming distance ≤ maxDistance. */
  | { readonly kind: 'hashes'; readonly id: number; readonly hashes: BigUint64Array; readonly maxDistance: number };

/** Thread to host. */
export type FromLintSearchThread =
  /** The pairs found, as two index arrays; `exact` false when LSH buckets could have missed a pair. */
  | { readonly kind: 'pairs'; readonly id: number; readonly i: Int32Array; readonly j: Int32Array; readonly exact: boolean }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
