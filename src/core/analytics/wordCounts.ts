/** Word frequency tables for the word cloud of a group of captions. */
import { tokenize, type TokenizeOptions } from './tokenize';

/** One row of a frequency table. */
export interface WordCount {
  readonly word: string;
  readonly count: number;
}

/** How often each term occurs in `texts`, most frequent first (ties by code point), at most `limit` rows. */
export function wordCounts(texts: Iterable<string>, options: TokenizeOptions & { readonly limit?: number } = {}): WordCount[] {
  const counts = new Map<string, number>();
  for (const text of texts) for (const word of tokenize(text, options)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const table = [...counts].map(([word, count]) => ({ word, count }));
  table.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return options.limit === undefined ? table : table.slice(0, options.limit);
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
