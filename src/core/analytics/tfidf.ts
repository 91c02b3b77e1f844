/**
 * TF-IDF of captions as scikit-learn's TfidfVectorizer(sublinear_tf=True) computes it: tf = 1 + ln(count),
 * smooth idf = ln((1 + n) / (1 + df)) + 1, rows scaled to unit length; a CSR matrix on typed arrays.
 */
import type { CsrMatrix } from './sparse';
import { tokenize, type TokenizeOptions } from './tokenize';

/** Which terms make the vocabulary, and how text is split. */
export interface TfidfOptions extends TokenizeOptions {
  /** Terms in fewer documents than this are left out (a count; default 1). */
  readonly minDf?: number;
  /** Terms in more than this share of documents are left out (a proportion in (0, 1]; default 1). */
  readonly maxDf?: number;
}

/** The matrix (one row per text, one column per vocabulary term) and what its columns mean. */
export interface TfidfResult {
  readonly matrix: CsrMatrix;
  /** Column j's term; sorted by code point, as scikit-learn sorts its vocabulary. */
  readonly vocabulary: readonly string[];
  /** Column j's inverse document frequency. */
  readonly idf: Float64Array;
}

/** TF-IDF rows of `texts` (an empty text, or one of stop words only, is a row of zeros). */
export function tfidf(texts: readonly string[], options: TfidfOptions = {}): TfidfResult {
  const minDf = options.minDf ?? 1;
  const maxDf = options.maxDf ?? 1;
  if (!(maxDf > 0 && maxDf <= 1)) throw new Error(`maxDf must be a proportion in (0, 1], not ${maxDf}`);
  const n = texts.length;
  // First pass: each text's term counts under provisional ids, and each term's document frequency.
  const provisional = new Map<string, number>();
  const termNames: string[] = [];
  const docFreq: number[] = [];
  const docs: Map<number, number>[] = [];
  for (const text of texts) {
    const counts = new Map<number, number>();
    for (const term of tokenize(text, options)) {
      let id = provisional.get(term);
      if (id === undefined) {
        id = termNames.length;
        provisional.set(term, id);
        termNames.push(term);
        docFreq.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const id of counts.keys()) docFreq[id]++;
    docs.push(counts);
  }
  const maxDocs = maxDf * n;
  const kept = termNames
    .map((_, id) => id)
    .filter((id) => docFreq[id] >= minDf && docFreq[id] <= maxDocs)
    .sort((a, b) => (termNames[a] < termNames[b] ? -1 : termNames[a] > termNames[b] ? 1 : 0));
  const column = new Int32Array(termNames.length).fill(-1);
  kept.forEach((id, j) => (column[id] = j));
  const idf = new Float64Array(kept.length);
  kept.forEach((id, j) => (idf[j] = Math.log((1 + n) / (1 + docFreq[id])) + 1));

  const rowStart = new Int32Array(n + 1);
  let nnz = 0;
  docs.forEach((counts, i) => {
    for (const id of counts.keys()) if (column[id] >= 0) nnz++;
    rowStart[i + 1] = nnz;
  });
  const colIndex = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  docs.forEach((counts, i) => {
    const entries: [number, number][] = [];
    for (const [id, count] of counts) if (column[id] >= 0) entries.push([column[id], (1 + Math.log(count)) * idf[column[id]]]);
    entries.sort((a, b) => a[0] - b[0]);
    let norm = 0;
    for (const [, v] of entries) norm += v * v;
    norm = Math.sqrt(norm);
    entries.forEach(([j, v], e) => {
      colIndex[rowStart[i] + e] = j;
      values[rowStart[i] + e] = norm > 0 ? v / norm : 0;
    });
  });
  return { matrix: { rows: n, cols: kept.length, rowStart, colIndex, values }, vocabulary: kept.map((id) => termNames[id]), idf };
}
