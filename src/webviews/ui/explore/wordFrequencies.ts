/**
 * Word counts of a group of captions (a selection or a cluster) computed in time slices, so
 * 100,000 captions never hold the webview's thread for more than a slice. DOM-free (unit-tested).
 */
import { WordTally, type WordCount } from '../../../core/analytics/wordCounts';

/** How the counting shares the thread. */
export interface SliceOptions {
  /** Milliseconds of counting before giving the thread back. */
  readonly sliceMs: number;
  /** Gives the thread back (a macrotask in the page, so input and frames run in between). */
  readonly pause: () => Promise<void>;
  readonly now: () => number;
  /** Stops the count: the promise rejects with an AbortError. */
  readonly signal?: AbortSignal;
}

/** The frequency table of `captions[i]` for each i of `indices`, most frequent first, at most `limit` rows. */
export async function countWordsInSlices(
  captions: readonly string[],
  indices: ArrayLike<number>,
  stopWords: ReadonlySet<string>,
  limit: number,
  slices: SliceOptions,
): Promise<{ readonly table: WordCount[]; readonly distinct: number }> {
  const tally = new WordTally({ stopWords });
  let sliceStart = slices.now();
  for (let j = 0; j < indices.length; j++) {
    tally.add(captions[indices[j]] ?? '');
    // Checking the clock every 64 captions keeps its cost out of the figure.
    if ((j & 63) === 63 && slices.now() - sliceStart >= slices.sliceMs) {
      await slices.pause();
      slices.signal?.throwIfAborted();
      sliceStart = slices.now();
    }
  }
  slices.signal?.throwIfAborted();
  return { table: tally.table(limit), distinct: tally.size };
}

/** The stop-word field's text as words: split on commas and white space, lower-cased, repeats left out. */
export function parseStopWords(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/u).map((w) => w.trim().toLowerCase()).filter(Boolean))];
}

/** The stop words as the field shows them. */
export function formatStopWords(words: readonly string[]): string {
  return words.join(', ');
}
