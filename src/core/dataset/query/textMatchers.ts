/** Compiles a term's text once into a test on lower-cased subject text: substring, prefix, wildcard or tag. */
import { compileGlob, Glob } from '../../patterns/glob';
import { isWhitespace } from '../../captions/whitespace';

/** Lower-case and, for non-ASCII text, NFC (macOS file names arrive decomposed). */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFC') : lower;
}
const NON_ASCII = /[^\x00-\x7f]/;

export type TextTest = (foldedText: string) => boolean;

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Case-insensitive substring. */
export function substringTest(pattern: string): TextTest {
  const folded = foldCase(pattern);
  return (text) => text.includes(folded);
}

/**
 * `*` is any run of characters, `?` one character; anchored at the start, and at the end unless
 * `prefixOnly`. A leading or trailing `*` drops that anchor, so `*_v2*` is a plain substring test.
 */
export function wildcardTest(pattern: string, prefixOnly = false): TextTest {
  const folded = foldCase(pattern);
  let first = 0;
  while (folded[first] === '*') first++;
  let last = folded.length;
  while (last > first && folded[last - 1] === '*') last--;
  const body = folded.slice(first, last);
  const atStart = first === 0;
  const atEnd = !prefixOnly && last === folded.length;
  if (!hasWildcard(body)) {
    if (atStart && atEnd) return (text) => text === body;
    if (atStart) return (text) => text.startsWith(body);
    if (atEnd) return (text) => text.endsWith(body);
    return (text) => text.includes(body);
  }
  const glob = compileGlob(prefixOnly ? `${folded}*` : folded);
  return (text) => glob.test(text);
}

/** `name:` whole-name wildcard, or substring without wildcards. */
export function nameTest(pattern: string): TextTest {
  return hasWildcard(pattern) ? wildcardTest(pattern) : substringTest(pattern);
}

/** `path:`: a value ending in '/' is a folder prefix; otherwise as `name:` on the relative path. */
export function pathTest(pattern: string): TextTest {
  if (!pattern.endsWith('/')) return nameTest(pattern);
  return wildcardTest(pattern, true);
}

/**
 * `tag:` tested on the whole folded caption without splitting it into tags: the pattern must
 * cover exactly one comma-separated tag, from its first to its last non-space character.
 */
export function tagTest(pattern: string): TextTest {
  const tag = foldCase(pattern.trim());
  if (!tag || tag.includes(',')) return () => false;
  if (!hasWildcard(tag)) return (caption) => hasTagAt(caption, tag);
  const glob = compileGlob(tag);
  return (caption) => someTag(caption, glob);
}

/**
 * True when the glob matches a comma-separated tag of the caption, taken from its first to its
 * last non-space character. Only tags holding a piece every match contains are tested.
 */
function someTag(caption: string, glob: Glob): boolean {
  const anchor = glob.longestLiteral;
  for (let at = caption.indexOf(anchor); at !== -1; ) {
    const comma = caption.indexOf(',', at + anchor.length);
    const end = comma === -1 ? caption.length : comma;
    let from = at === 0 ? 0 : caption.lastIndexOf(',', at - 1) + 1;
    let to = end;
    while (from < to && isWhitespace(caption.charCodeAt(from))) from++;
    while (to > from && isWhitespace(caption.charCodeAt(to - 1))) to--;
    if (from < to && glob.test(caption, from, to)) return true;
    at = comma === -1 ? -1 : caption.indexOf(anchor, comma + 1);
  }
  return false;
}

function hasTagAt(caption: string, tag: string): boolean {
  for (let at = caption.indexOf(tag); at !== -1; at = caption.indexOf(tag, at + 1)) {
    if (isTagEdge(caption, at - 1, -1) && isTagEdge(caption, at + tag.length, 1)) return true;
  }
  return false;
}

/** Only whitespace lies between `from` and a comma or the end of the caption, walking by `step`. */
function isTagEdge(caption: string, from: number, step: 1 | -1): boolean {
  for (let i = from; i >= 0 && i < caption.length; i += step) {
    const c = caption[i];
    if (c === ',') return true;
    if (!isWhitespace(caption.charCodeAt(i))) return false;
  }
  return true;
}
