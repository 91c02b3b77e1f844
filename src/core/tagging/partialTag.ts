/** The tag being typed in a caption: what autocomplete completes and replaces. */
import { isWhitespace } from '../captions/whitespace';

/** The partial tag before `caret`: where it starts (after the comma and spaces) and its text. */
export function partialTag(text: string, caret: number): { start: number; typed: string } {
  let start = text.lastIndexOf(',', caret - 1) + 1;
  const lineStart = text.lastIndexOf('\n', caret - 1) + 1;
  if (lineStart > start) start = lineStart;
  while (start < caret && isWhitespace(text.charCodeAt(start))) start++;
  return { start, typed: text.slice(start, caret) };
}
