/** Where each tag of a comma-separated caption sits in its text, for problems and minimal edits. */
import { isWhitespace } from '../captions/whitespace';
import { parseTagCaption } from '../edits/tagList';

/** One tag and its UTF-16 range [start, end) in the caption, spaces around it excluded. */
export interface TagSpan {
  readonly tag: string;
  readonly start: number;
  readonly end: number;
}

/** The tags of `text` with their ranges (the same tags `parseTagCaption` gives), or undefined for prose. */
export function tagSpans(text: string): TagSpan[] | undefined {
  if (!parseTagCaption(text)) return undefined;
  const spans: TagSpan[] = [];
  let from = 0;
  while (from <= text.length) {
    const comma = text.indexOf(',', from);
    const to = comma === -1 ? text.length : comma;
    let start = from;
    let end = to;
    while (start < end && isWhitespace(text.charCodeAt(start))) start++;
    while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
    if (end > start) spans.push({ tag: text.slice(start, end), start, end });
    if (comma === -1) break;
    from = comma + 1;
  }
  return spans;
}

/** The edit removing `spans[i]` with one separator: the one after it, or before it for the last tag. */
export function tagRemoval(text: string, spans: readonly TagSpan[], i: number): { start: number; end: number; newText: string } {
  const span = spans[i];
  if (i + 1 < spans.length) return { start: span.start, end: spans[i + 1].start, newText: '' };
  if (i > 0) return { start: spans[i - 1].end, end: span.end, newText: '' };
  return { start: span.start, end: span.end, newText: '' };
}
