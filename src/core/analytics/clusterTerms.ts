/** A cluster's most distinctive terms: mean TF-IDF weight inside the cluster minus outside it. */
import type { CsrMatrix } from './sparse';

/** A term and how much more weight it has in the cluster than elsewhere. */
export interface DistinctiveTerm {
  readonly term: string;
  readonly score: number;
}

/** The top `n` terms of cluster `cluster` (positive scores only), from the TF-IDF rows and their labels. */
export function clusterTerms(
  matrix: CsrMatrix,
  vocabulary: readonly string[],
  labels: ArrayLike<number>,
  cluster: number,
  n = 5,
): DistinctiveTerm[] {
  if (labels.length !== matrix.rows) throw new Error(`${matrix.rows} rows but ${labels.length} labels`);
  const inside = new Float64Array(matrix.cols);
  const total = new Float64Array(matrix.cols);
  let members = 0;
  for (let i = 0; i < matrix.rows; i++) {
    const mine = labels[i] === cluster;
    if (mine) members++;
    for (let p = matrix.rowStart[i]; p < matrix.rowStart[i + 1]; p++) {
      total[matrix.colIndex[p]] += matrix.values[p];
      if (mine) inside[matrix.colIndex[p]] += matrix.values[p];
    }
  }
  const others = matrix.rows - members;
  if (members === 0) return [];
  const scored: DistinctiveTerm[] = [];
  for (let j = 0; j < matrix.cols; j++) {
    const score = inside[j] / members - (others > 0 ? (total[j] - inside[j]) / others : 0);
    if (score > 0) scored.push({ term: vocabulary[j], score });
  }
  scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return scored.slice(0, n);
}
