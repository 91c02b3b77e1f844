/** Messages between the extension host and the thread that runs find/replace patterns (patternThread.ts). */
import type { FindOptions, FindReplaceOptions, MatchCount, Replacements, TextReplacement } from '../edits/findReplace';

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
  | { readonly kind: 'replaced'; readonly id: number; readonly result: PackedReplacements }
  | { readonly kind: 'cancelled'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };

/**
 * Replacements as a few arrays and one string: copying 65,000 small objects between threads cost
 * 50-100 ms on each side (the host's share blocks its event loop), one string and typed arrays ~15 ms.
 */
export interface PackedReplacements {
  readonly index: Int32Array<ArrayBuffer>;
  readonly matches: Int32Array<ArrayBuffer>;
  /** Where each replacement's text ends in `afters`. */
  readonly ends: Int32Array<ArrayBuffer>;
  readonly afters: string;
  readonly total: number;
}

/** Packs replacements for the trip to the host; its arrays' buffers go in the transfer list. */
export function packReplacements({ replacements, matches: total }: Replacements): PackedReplacements {
  const n = replacements.length;
  const index = new Int32Array(n);
  const matches = new Int32Array(n);
  const ends = new Int32Array(n);
  let end = 0;
  replacements.forEach((r, i) => {
    index[i] = r.index;
    matches[i] = r.matches;
    ends[i] = end += r.after.length;
  });
  return { index, matches, ends, afters: replacements.map((r) => r.after).join(''), total };
}

export function unpackReplacements(packed: PackedReplacements): Replacements {
  const replacements: TextReplacement[] = [];
  for (let i = 0, from = 0; i < packed.index.length; from = packed.ends[i++]) {
    replacements.push({ index: packed.index[i], after: packed.afters.slice(from, packed.ends[i]), matches: packed.matches[i] });
  }
  return { replacements, matches: packed.total };
}
