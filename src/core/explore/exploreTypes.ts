/**
 * The Explore panel's computation contract: what the host asks the explore thread to lay out, and
 * what comes back. Browser-safe types only (the webview reads `ExploreLayout` too).
 */

/** Where the vectors come from (captions by TF-IDF + SVD inside the thread, anything else as vectors). */
export type ExploreInput =
  /** Caption texts, one per item; the thread builds TF-IDF and reduces it with a truncated SVD. */
  | { readonly kind: 'texts'; readonly texts: readonly string[]; readonly stopWords?: readonly string[] }
  /** n × dims row-major vectors (image descriptors, model embeddings); reduced by PCA when dims > reducedDims. */
  | { readonly kind: 'vectors'; readonly dims: number; readonly data: Float32Array; readonly texts?: readonly string[] };

export type Projection = 'pca' | 'umap';

/** How to lay the items out. */
export interface ExploreOptions {
  /** Clusters (k-means on the reduced embedding, never on the 2-D projection). */
  readonly k: number;
  /** Dimensions of the reduced embedding k-means runs on (≤ 50). */
  readonly reducedDims: number;
  readonly projection: Projection;
  readonly seed: number;
  /** k-means restarts (each seeded from `seed`). */
  readonly restarts: number;
}

/** One cluster: its size and the words that set it apart (from the items' captions). */
export interface ClusterSummary {
  readonly id: number;
  readonly size: number;
  /** Most distinctive terms first (a label such as "dog · beach · ball"). */
  readonly terms: readonly string[];
}

/** The result of one layout: item i is at (x[i], y[i]) in cluster labels[i]. */
export interface ExploreLayout {
  readonly count: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly labels: Int32Array;
  readonly clusters: readonly ClusterSummary[];
  /** How much of the variance the 2-D projection keeps (PCA), for the panel to show. */
  readonly explained?: number;
  /** What the user should know about this layout (k lowered to the number of items, UMAP fitted on a sample). */
  readonly notes?: readonly string[];
  /** Milliseconds per step (embed, reduce, cluster, project, terms) for the status line and benches. */
  readonly timings: Readonly<Record<string, number>>;
}

/** The answer of "Suggest k": silhouette per k on the reduced embedding (a sample for large sets). */
export interface KSuggestionResult {
  readonly best: number;
  readonly scores: ReadonlyArray<{ readonly k: number; readonly score: number }>;
}
