/** Engine offsets (UTF-16, into the caption's decoded text) to editor line/character positions; pure. */

/** A position as VS Code counts it: zero-based line, UTF-16 character within the line. */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/**
 * Offsets where each line starts. The decoded text has '\n' breaks (CRLF was folded, and a CRLF
 * document has the same lines and characters); a lone '\r' left in it is a line break to VS Code too.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    else if (c === 13) {
      starts.push(i + 2);
      i++;
    }
  }
  return starts;
}

/** The line and character of `offset` (clamped to the text), given the text's `lineStarts`. */
export function positionAt(starts: readonly number[], textLength: number, offset: number): LinePosition {
  const at = Math.max(0, Math.min(offset, textLength));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: at - starts[lo] };
}
