/** Plans for bulk caption edits: what each caption file would become. The caller previews, then applies. */

import type { CaptionSource } from '../captions/readCaptions';

export type { CaptionSource } from '../captions/readCaptions';

/** A caption whose text would change (`after !== before`). */
export interface PlannedChange {
  readonly captionPath: string;
  readonly imagePath: string;
  readonly before: string | undefined;
  readonly after: string;
  /** Find/replace only: the matches replaced in this caption. */
  readonly matches?: number;
}

export interface EditPlan {
  /** What the operation does, for the preview's title, e.g. 'Replace "cat" with "dog"'. */
  readonly operation: string;
  readonly changes: PlannedChange[];
  /** Caption files to delete. */
  readonly deletions: string[];
  /** Sources neither changed nor deleted (images without a caption file included). */
  readonly unchanged: number;
  /** Find/replace: matches over all sources; 0 for other operations. */
  readonly matches: number;
}

/** Options that cannot make a plan (empty search, invalid pattern, no tags); the message says what to fix. */
export class EditOptionError extends Error {
  constructor(message: string, readonly option: string) {
    super(message);
    this.name = 'EditOptionError';
  }
}

/**
 * Builds a plan by running `edit` on every existing caption; images without a caption file are
 * left alone (an edit never creates a caption file).
 */
export function planEdits(operation: string, sources: readonly CaptionSource[], edit: (text: string) => string): EditPlan {
  const changes: PlannedChange[] = [];
  for (const source of sources) {
    if (source.text === undefined) continue;
    const after = edit(source.text);
    if (after !== source.text) changes.push({ captionPath: source.captionPath, imagePath: source.imagePath, before: source.text, after });
  }
  return { operation, changes, deletions: [], unchanged: sources.length - changes.length, matches: 0 };
}

/** A caption split into its body and its final line break ('\n' or ''), so edits keep the break. */
export function splitFinalBreak(text: string): { body: string; end: string } {
  return text.endsWith('\n') ? { body: text.slice(0, -1), end: '\n' } : { body: text, end: '' };
}

/**
 * True when the whitespace that ends the text holds a line break. Not `/\n\s*$/`: a regex that
 * is not anchored at the start takes time quadratic in a long run of line breaks.
 */
export function endsWithLineBreak(text: string): boolean {
  return text.slice(text.trimEnd().length).includes('\n');
}

/**
 * The end of `text` from the first line break of its trailing whitespace on (`\n`, `\n\n`, `\n\t`);
 * '' when none. Edits that rebuild a caption put it back as it was; spaces before it are padding.
 */
export function finalBreaks(text: string): string {
  const trailing = text.slice(text.trimEnd().length);
  const at = trailing.indexOf('\n');
  return at >= 0 ? trailing.slice(at) : '';
}

/** `"a", "b"` for operation labels. */
export function quoteList(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(', ');
}
