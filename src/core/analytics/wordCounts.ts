/** Word frequency tables for the word cloud of a group of captions. */
import { tokenize, type TokenizeOptions } from './tokenize';

/** One row of a frequency table. */
export interface WordCount {
  readonly word: string;
  readonly count: number;
}

/**
 * Counts terms text by text, so a caller can feed a large group in slices (the Explore panel counts
 * 100,000 captions between frames) and read the same table `wordCounts` gives.
 */
export class WordTally {
  private readonly counts = new Map<string, number>();

  constructor(private readonly options: TokenizeOptions = {}) {}

  /** Counts the terms of one text. */
  add(text: string): void {
    for (const word of tokenize(text, this.options)) this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
  }

  /** Distinct terms counted so far. */
  get size(): number {
    return this.counts.size;
  }

  /** The terms counted so far, most frequent first (ties by code point), at most `limit` rows. */
  table(limit?: number): WordCount[] {
    let entries = [...this.counts];
    if (limit !== undefined && limit < entries.length) {
      // Only terms counted at least as often as the limit-th one can make the table: a numeric sort
      // of the counts finds that count, and the slower sort by count and text runs on those alone.
      const counts = Int32Array.from(this.counts.values()).sort();
      const threshold = counts[counts.length - Math.max(1, limit)];
      entries = entries.filter(([, count]) => count >= threshold);
    }
    const table = entries.map(([word, count]) => ({ word, count }));
    table.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    return limit === undefined ? table : table.slice(0, limit);
  }
}

/** How often each term occurs in `texts`, most frequent first (ties by code point), at most `limit` rows. */
export function wordCounts(texts: Iterable<string>, options: TokenizeOptions & { readonly limit?: number } = {}): WordCount[] {
  const tally = new WordTally(options);
  for (const text of texts) tally.add(text);
  return tally.table(options.limit);
}

/** A frequency table per group: `groups[i]` is text i's group (e.g. its cluster), -1 for none. */
export function wordCountsByGroup(
  texts: readonly string[],
  groups: ArrayLike<number>,
  options: TokenizeOptions & { readonly limit?: number } = {},
): Map<number, WordCount[]> {
  if (texts.length !== groups.length) throw new Error(`${texts.length} texts but ${groups.length} group labels`);
  const members = new Map<number, string[]>();
  texts.forEach((text, i) => {
    if (groups[i] < 0) return;
    const list = members.get(groups[i]) ?? [];
    list.push(text);
    members.set(groups[i], list);
  });
  return new Map([...members].map(([group, list]) => [group, wordCounts(list, options)]));
}
