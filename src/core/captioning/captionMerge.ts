/** How a generated caption meets the one already on disk: skip, overwrite, append or prepend. */

export type BatchMode = 'skip' | 'overwrite' | 'append' | 'prepend';

export const BATCH_MODES: readonly BatchMode[] = ['skip', 'overwrite', 'append', 'prepend'];

/** True when the caption reads as a tag list ("1girl, solo, red hair"), not as sentences. */
export function isCommaSeparated(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed.includes(',') || /[.!?]$/.test(trimmed) || /[.!?]\s/.test(trimmed)) return false;
  return trimmed.split(',').every((part) => part.trim().split(/\s+/).length <= 6);
}

/** The separator used when none is given: ', ' between tag lists, else one space. */
export function autoSeparator(existing: string, generated: string): string {
  const sentenceEnd = /[.!?]$/.test(existing.trim());
  return !sentenceEnd && (isCommaSeparated(existing) || isCommaSeparated(generated)) ? ', ' : ' ';
}

/**
 * The text to write for `mode`, given the caption on disk ('' when none) and the model's text.
 * The existing caption's trailing line break is kept; the join never doubles spaces or commas.
 */
export function mergeCaption(existing: string, generated: string, mode: BatchMode, separator?: string): string {
  const fresh = generated.trim();
  const trailingBreak = /\n[ \t]*$/.test(existing) ? '\n' : '';
  const old = existing.trim();
  if (mode === 'skip' || mode === 'overwrite' || old === '') return fresh + trailingBreak;
  if (fresh === '') return existing;
  const sep = separator ?? autoSeparator(old, fresh);
  const [first, second] = mode === 'append' ? [old, fresh] : [fresh, old];
  return joinTexts(first, second, sep) + trailingBreak;
}

/** Joins with `sep`, after removing the separator's own marks already at the seam. */
function joinTexts(first: string, second: string, sep: string): string {
  const mark = sep.trim();
  if (mark === '') return `${first.trimEnd()}${sep}${second.trimStart()}`;
  const escaped = mark.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const left = first.replace(new RegExp(`(?:\\s|${escaped})+$`), '');
  const right = second.replace(new RegExp(`^(?:\\s|${escaped})+`), '');
  return `${left}${sep}${right}`;
}
