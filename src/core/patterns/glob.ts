/**
 * Wildcard patterns without regular expressions. A backtracking regex built from `*a*a*a*b`
 * takes time polynomial in the text (exponent: the number of stars) and froze the extension host
 * on one long caption or path; this matcher places the pieces between stars greedily, leftmost
 * first, which is exact for `*`/`?` patterns and costs at most text length x pattern length.
 */

/** How a wildcard pattern reads. */
export interface GlobOptions {
  /** `?` stands for one character (a code point); false: it is literal. Default true. */
  readonly questionMark?: boolean;
}

/** A run of literal text, or a number of `?` (one code point each). */
type Part = string | number;

/** The text between two stars; `parts` is never empty. */
interface Segment {
  readonly parts: readonly Part[];
  /** The whole segment when it has no `?`: found with indexOf. */
  readonly literal?: string;
}

/** Compiles `pattern` (`*` any run of characters, `?` one character, all else literal); case is the caller's to fold. */
export function compileGlob(pattern: string, options: GlobOptions = {}): Glob {
  return new Glob(pattern, options.questionMark ?? true);
}

/** A compiled wildcard pattern. */
export class Glob {
  /** The longest literal piece every match contains ('' when none): callers search for it to skip text that cannot match. */
  readonly longestLiteral: string;
  /** No star: the whole text must match `head`. */
  private readonly starless: boolean;
  /** Before the first star and after the last one; undefined when empty. */
  private readonly head?: Segment;
  private readonly tail?: Segment;
  /** Between stars, in order. */
  private readonly middle: readonly Segment[];
  /** The last indexOf answer per literal for `searchedText`: a literal missing from one tag is not searched for again, to the end of the caption, for each later tag. */
  private searchedText?: string;
  private readonly searches = new Map<string, { readonly from: number; readonly at: number }>();

  constructor(pattern: string, questionMark: boolean) {
    const pieces = pattern.split('*');
    const segments = pieces.map((piece) => toSegment(piece, questionMark));
    this.starless = pieces.length === 1;
    this.head = segments[0];
    this.tail = this.starless ? undefined : segments[segments.length - 1];
    this.middle = segments.slice(1, -1).filter((s): s is Segment => s !== undefined);
    const literals = segments.flatMap((s) => (s ? s.parts.filter((p): p is string => typeof p === 'string') : []));
    this.longestLiteral = literals.reduce((a, b) => (b.length > a.length ? b : a), '');
  }

  /** True when text[from, to) matches as a whole; testing ranges of one text left to right stays linear in its length. */
  test(text: string, from = 0, to = text.length): boolean {
    if (this.starless) return this.head ? matchForward(this.head, text, from, to) === to : from === to;
    let start = from;
    if (this.head) {
      start = matchForward(this.head, text, from, to);
      if (start < 0) return false;
    }
    let end = to;
    if (this.tail) {
      end = matchBackward(this.tail, text, to, start);
      if (end < 0) return false;
    }
    for (const segment of this.middle) {
      start = this.search(segment, text, start, end);
      if (start < 0) return false;
    }
    return true;
  }

  /** The end of the leftmost match of `segment` inside [from, to), or -1. */
  private search(segment: Segment, text: string, from: number, to: number): number {
    const first = segment.parts[0];
    for (let at = from; at < to; ) {
      if (typeof first === 'string') {
        at = this.indexOf(text, first, at);
        if (at < 0 || at + first.length > to) return -1;
      }
      if (segment.literal !== undefined) return at + segment.literal.length;
      const end = matchForward(segment, text, at, to);
      if (end >= 0) return end;
      at += codePointWidth(text, at, to);
    }
    return -1;
  }

  /** `text.indexOf(literal, from)`, answered from the last search for `literal` when that is still the answer. */
  private indexOf(text: string, literal: string, from: number): number {
    if (text !== this.searchedText) {
      this.searchedText = text;
      this.searches.clear();
    }
    const last = this.searches.get(literal);
    if (last && last.from <= from && (last.at === -1 || last.at >= from)) return last.at;
    const at = text.indexOf(literal, from);
    this.searches.set(literal, { from, at });
    return at;
  }
}

function toSegment(piece: string, questionMark: boolean): Segment | undefined {
  if (piece === '') return undefined;
  if (!questionMark || !piece.includes('?')) return { parts: [piece], literal: piece };
  const parts: Part[] = [];
  for (const run of piece.split(/(\?+)/)) {
    if (run !== '') parts.push(run.startsWith('?') ? run.length : run);
  }
  return { parts };
}

/** Where a match of `segment` starting at `from` ends (before `to`), or -1. */
function matchForward(segment: Segment, text: string, from: number, to: number): number {
  let at = from;
  for (const part of segment.parts) {
    if (typeof part === 'string') {
      if (at + part.length > to || !text.startsWith(part, at)) return -1;
      at += part.length;
    } else {
      for (let n = 0; n < part; n++) {
        if (at >= to) return -1;
        at += codePointWidth(text, at, to);
      }
    }
  }
  return at;
}

/** Where a match of `segment` ending at `to` starts (not before `from`), or -1. */
function matchBackward(segment: Segment, text: string, to: number, from: number): number {
  let at = to;
  for (let i = segment.parts.length - 1; i >= 0; i--) {
    const part = segment.parts[i];
    if (typeof part === 'string') {
      if (at - part.length < from || !text.startsWith(part, at - part.length)) return -1;
      at -= part.length;
    } else {
      for (let n = 0; n < part; n++) {
        if (at <= from) return -1;
        at -= isLowSurrogate(text.charCodeAt(at - 1)) && at - 2 >= from && isHighSurrogate(text.charCodeAt(at - 2)) ? 2 : 1;
      }
    }
  }
  return at;
}

/** UTF-16 units of the code point at `at` (a surrogate pair is one character, as in a `u` regex). */
function codePointWidth(text: string, at: number, to: number): number {
  return isHighSurrogate(text.charCodeAt(at)) && at + 1 < to && isLowSurrogate(text.charCodeAt(at + 1)) ? 2 : 1;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
