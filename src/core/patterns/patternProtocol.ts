/** Messages between the extension host and the thread that runs find/replace patterns (patternThread.ts). */
import type { FindOptions, FindReplaceOptions, MatchCount, Replacements } from '../edits/findReplace';

/** Data the thread starts with. */
export interface PatternThreadData {
  /** One Int32: the id of the request to stop at the next caption (a busy thread reads no messages). */
  readonly cancel: SharedArrayBuffer;
  /** How often a running request reports progress, which is also how the host knows it is not stuck. */
  readonly progressMs: number;
}

/** Host to thread. */
export type ToPatternThread =
  /** The texts later requests run over (undefined: an image without a caption file), sent once per set. */
  | { readonly kind: 'texts'; readonly texts: readonly (string | undefined)[] }
  | { readonly kind: 'count'; readonly id: number; readonly options: FindOptions }
  | { readonly kind: 'replace'; readonly id: number; readonly options: FindReplaceOptions };

/** Thread to host. */
export type FromPatternThread =
  | { readonly kind: 'progress'; readonly id: number; readonly done: number }
  | { readonly kind: 'counted'; readonly id: number; readonly count: MatchCount }
  | { readonly kind: 'replaced'; readonly id: number; readonly result: Replacements }
  | { readonly kind: 'cancelled'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
