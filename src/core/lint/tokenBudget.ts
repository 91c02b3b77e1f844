import { captionStats } from '../dataset/captionStats';

/** Counts CLIP BPE tokens of a text, without the start/end tokens (the worker's real tokenizer plugs in here). */
export interface TokenCounter {
  /** True when this is CLIP's tokenizer, false for an estimate (messages say which). */
  readonly exact: boolean;
  count(text: string): number;
  /** Where the budget rule cuts `text` (what `budgetCut` answers), when the counter measured it ahead of time. */
  cut?(text: string, maxTokens: number): number;
}

/** The estimate shown beside captions (`captionStats`): letters in runs of ~6 per token, each digit or mark one. */
export const ESTIMATED_TOKENS: TokenCounter = { exact: false, count: (text) => captionStats(text).clipTokens };

/**
 * The end of the longest prefix of `text` that ends at a word and has at most `maxTokens` tokens,
 * trailing spaces and separators (`,;:-`) left out; 0 when not even the first word fits.
 * Binary search over word ends, as token counts grow with the prefix.
 */
export function budgetCut(text: string, maxTokens: number, counter: TokenCounter): number {
  const ends: number[] = [];
  for (const match of text.matchAll(/\S+/gu)) ends.push(match.index + match[0].length);
  let lo = 0;
  let hi = ends.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (counter.count(text.slice(0, ends[mid])) <= maxTokens) {
      best = ends[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  while (best > 0 && /[\s,;:\-]/u.test(text[best - 1])) best--;
  return best;
}

/**
 * A counter that answers from counts made elsewhere (the model worker's CLIP tokenizer): each text's
 * count and, when it was over `maxTokens`, its budget cut. Asking about a text it did not measure
 * (or another budget) is a programming error and throws.
 */
export function measuredTokens(texts: readonly string[], counts: readonly number[], cuts: readonly number[], maxTokens: number): TokenCounter {
  const measured = new Map<string, number>();
  texts.forEach((text, i) => measured.set(text, i));
  const at = (text: string): number => {
    const i = measured.get(text);
    if (i === undefined) throw new Error('This caption\'s CLIP tokens were not counted');
    return i;
  };
  return {
    exact: true,
    count: (text) => counts[at(text)],
    cut: (text, max) => {
      if (max !== maxTokens) throw new Error(`Tokens were counted for a budget of ${maxTokens}, not ${max}`);
      return cuts[at(text)];
    },
  };
}
