import { isWhitespace } from '../captions/whitespace';
import { finalBreaks } from '../edits/editPlan';

/** How a generated caption meets the one already on disk: skip, overwrite, append or prepend. */

export type BatchMode = 'skip' | 'overwrite' | 'append' | 'prepend';

export const BATCH_MODES: readonly BatchMode[] = ['skip', 'overwrite', 'append', 'prepend'];

/** True when the caption reads as a tag list ("1girl, solo, red hair"), not as sentences. */
export function isCommaSeparated(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed.includes(',') || /[.!?]$/.test(trimmed) || /[.!?]\s/.test(trimmed)) return false;
  return partsHaveFewWords(trimmed, 6);
}

/**
 * Whether every comma-separated part has at most `max` words: `part.trim().split(/\s+/).length <= max`
 * for each part, in one pass without the arrays (it runs on every caption of a dataset when its tags are counted).
 */
function partsHaveFewWords(text: string, max: number): boolean {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 44 /* , */) {
      words = 0;
      inWord = false;
    } else if (isWhitespace(code)) {
      inWord = false;
    } else if (!inWord) {
      inWord = true;
      if (++words > max) return false;
    }
  }
  return true;
}

/** The separator used when none is given: ', ' between tag lists, else one space. */
export function autoSeparator(existing: string, generated: string): string {
  const sentenceEnd = /[.!?]$/.test(existing.trim());
  return !sentenceEnd && (isCommaSeparated(existing) || isCommaSeparated(generated)) ? ', ' : ' ';
}

/**
 * The text to write for `mode`, given the caption on disk ('' when none) and the model's text.
 * The existing caption's trailing line breaks are kept as they were (`\n\n` stays two); the join never doubles spaces or commas.
 */
export function mergeCaption(existing: string, generated: string, mode: BatchMode, separator?: string): string {
  const fresh = generated.trim();
  const trailingBreak = finalBreaks(existing);
  const old = existing.trim();
  if (mode === 'skip' || mode === 'overwrite' || old === '') return fresh + trailingBreak;
  if (fresh === '') return existing;
  const sep = separator ?? autoSeparator(old, fresh);
  const [first, second] = mode === 'append' ? [old, fresh] : [fresh, old];
  return joinTexts(first, second, sep) + trailingBreak;
}

/** Joins with `sep`, after removing the separator's own marks already at the seam. */
function joinTexts(first: string, second: string, sep: string): string {
  const marks = [sep.trim()].filter(Boolean);
  return `${trimMarks(first, marks, 'end')}${sep}${trimMarks(second, marks, 'start')}`;
}

/**
 * `text` without the whitespace and copies of `marks` (non-empty strings) at its start or end.
 * A loop, not a regex: `(?:\s|,)+$` takes time quadratic in a caption's run of commas and spaces.
 */
export function trimMarks(text: string, marks: readonly string[], side: 'start' | 'end'): string {
  if (side === 'end') {
    let rest = text.trimEnd();
    for (let mark = marks.find((m) => rest.endsWith(m)); mark; mark = marks.find((m) => rest.endsWith(m))) rest = rest.slice(0, -mark.length).trimEnd();
    return rest;
  }
  let rest = text.trimStart();
  for (let mark = marks.find((m) => rest.startsWith(m)); mark; mark = marks.find((m) => rest.startsWith(m))) rest = rest.slice(mark.length).trimStart();
  return rest;
}
