/** Splitting caption text into the terms that TF-IDF and word counts count. */
import { ENGLISH_STOP_WORDS } from './stopWords';

/** How text becomes terms. */
export interface TokenizeOptions {
  /** Terms left out; the English default list when not given. */
  readonly stopWords?: ReadonlySet<string>;
  /** Shortest term kept, in characters (default 2, as scikit-learn's default token pattern). */
  readonly minLength?: number;
}

// Runs of Unicode letters, digits and combining marks (so "café" written with a combining accent stays one term).
const TERM = /[\p{L}\p{N}\p{M}]+/gu;

/** The terms of `text`: lower-cased runs of letters and digits, stop words and short runs left out. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const stopWords = options.stopWords ?? ENGLISH_STOP_WORDS;
  const minLength = options.minLength ?? 2;
  const terms: string[] = [];
  for (const match of text.toLowerCase().matchAll(TERM)) {
    const term = match[0];
    // Length in code points (a letter outside the BMP is two UTF-16 units); counted only when it can matter.
    const longEnough = term.length >= 2 * minLength || (term.length >= minLength && [...term].length >= minLength);
    if (longEnough && !stopWords.has(term)) terms.push(term);
  }
  return terms;
}
