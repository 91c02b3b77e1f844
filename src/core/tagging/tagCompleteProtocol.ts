/** Messages between the extension host and the tag completion thread (tagCompleteThread.ts). */
import type { TagSuggestion } from './tagCompletion';
import type { TagCount } from './tagCounts';

export type ToTagCompleteThread =
  /** A booru tag list's bytes (moved, not copied) to parse and index; none: no list. */
  | { readonly kind: 'list'; readonly id: number; readonly file: string; readonly bytes?: Uint8Array }
  /** The dataset's tags with their counts (after a caption change). */
  | { readonly kind: 'dataset'; readonly tags: readonly TagCount[] }
  /** Suggestions for `typed`, leaving out the normalized names in `exclude` (tags already in the caption). */
  | { readonly kind: 'complete'; readonly id: number; readonly typed: string; readonly limit: number; readonly exclude: readonly string[] };

export type FromTagCompleteThread =
  | { readonly kind: 'listIndexed'; readonly id: number; readonly tags: number; readonly skipped: number; readonly firstSkippedLine?: number }
  | { readonly kind: 'suggestions'; readonly id: number; readonly suggestions: TagSuggestion[] }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
