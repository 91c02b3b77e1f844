/**
 * The Explore panel's filter: comma-separated keywords (any or all must occur in the caption,
 * case-insensitive) or the dataset filter language of the Dataset view. DOM-free (unit-tested).
 */
import { compileQuery, parseQuery, QuerySyntaxError, type SubjectPredicate } from '../../../core/dataset/query';
import { foldCase, substringTest, type TextTest } from '../../../core/dataset/query/textMatchers';
import type { FilterMode } from './state';

/** A parsed filter: nothing to match, keyword tests, or a compiled query. */
export type FilterSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'keywords'; readonly words: readonly string[]; readonly mode: 'any' | 'all'; readonly tests: readonly TextTest[] }
  | { readonly kind: 'query'; readonly predicate: SubjectPredicate };

/** A filter that could not be read: the message, and where (query language only). */
export interface FilterError {
  readonly error: string;
  readonly position?: number;
  readonly length?: number;
}

/** The keywords of comma-separated text: trimmed, blanks and repeats (ignoring case) left out. */
export function splitKeywords(text: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const part of text.split(',')) {
    const word = part.trim();
    const key = foldCase(word);
    if (word && !seen.has(key)) {
      seen.add(key);
      words.push(word);
    }
  }
  return words;
}

/** Reads the filter field; blank text is no filter. */
export function parseFilter(text: string, mode: FilterMode): FilterSpec | FilterError {
  if (!text.trim()) return { kind: 'none' };
  if (mode !== 'query') {
    const words = splitKeywords(text);
    return words.length ? { kind: 'keywords', words, mode, tests: words.map(substringTest) } : { kind: 'none' };
  }
  try {
    return { kind: 'query', predicate: compileQuery(parseQuery(text)) };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { error: e.message, position: e.position, length: e.length };
    throw e;
  }
}

/** True when `parseFilter` could not read the text. */
export function isFilterError(result: FilterSpec | FilterError): result is FilterError {
  return 'error' in result;
}

/** The items a filter sees (the parallel arrays of a layout). */
export interface FilterItems {
  readonly relPaths: readonly string[];
  readonly captions: readonly string[];
  /** Stars per item (0 unrated); absent: every item is unrated. */
  readonly ratings?: ArrayLike<number>;
  /** Second captions per item; absent: none has one. */
  readonly secondCaptions?: readonly string[];
}

/**
 * 1 for each item the filter matches, and how many; null matches when there is no filter.
 * The webview knows neither whether a caption file exists nor whether two images share one:
 * `hasCaptionFile` is "the caption is not empty" and `collision` is false for the query language.
 * `rating` and `caption2:` see the items' ratings and second captions, as in the Dataset view.
 */
export function matchItems(spec: FilterSpec, items: FilterItems): { readonly matches: Uint8Array | null; readonly count: number } {
  if (spec.kind === 'none') return { matches: null, count: 0 };
  const n = items.captions.length;
  const matches = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (matchItem(spec, items, i)) {
      matches[i] = 1;
      count++;
    }
  }
  return { matches, count };
}

/** Whether the filter matches item `i` (one item tested again after its caption changed). */
export function matchItem(spec: Exclude<FilterSpec, { kind: 'none' }>, items: FilterItems, i: number): boolean {
  const caption = items.captions[i];
  if (spec.kind === 'query') {
    const relPath = items.relPaths[i];
    const name = relPath.slice(relPath.lastIndexOf('/') + 1);
    return spec.predicate({ name, relPath, caption, hasCaptionFile: caption !== '', collision: false, rating: items.ratings?.[i] ?? 0, secondCaption: items.secondCaptions?.[i] ?? '' });
  }
  const folded = foldCase(caption);
  return spec.mode === 'all' ? spec.tests.every((test) => test(folded)) : spec.tests.some((test) => test(folded));
}

/** Indices of the matching items, in order (for "select matches"). */
export function matchIndices(matches: Uint8Array): number[] {
  const indices: number[] = [];
  for (let i = 0; i < matches.length; i++) if (matches[i]) indices.push(i);
  return indices;
}
