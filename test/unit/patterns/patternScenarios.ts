/** Pattern work over long texts, run by tests in a time-boxed worker thread (see callWithin). */
import { compileQuery, parseQuery } from '../../../src/core/dataset/query';
import { removeTags } from '../../../src/core/edits/tagEdits';
import { compileGlob } from '../../../src/core/patterns/glob';

/** `text` repeated to `length` characters. */
function long(text: string, length: number): string {
  return text.repeat(Math.ceil(length / text.length)).slice(0, length);
}

/** Whether the query keeps a subject whose name, path and caption are each `filler` repeated to `length`. */
export function queryOnLongSubject(query: string, filler: string, length: number): boolean {
  const text = long(filler, length);
  return compileQuery(parseQuery(query))({ name: text, relPath: `x/${text}`, caption: text, hasCaptionFile: true, collision: false });
}

/** How many captions a Remove Tags plan changes, over one caption of `filler` repeated to `length`. */
export function removeTagsOnLongCaption(patterns: string[], filler: string, length: number): number {
  return removeTags([{ captionPath: '/d/a.txt', imagePath: '/d/a.jpg', text: long(filler, length) }], { tags: patterns }).changes.length;
}

/** Whether the glob matches the whole of `filler` repeated to `length`. */
export function globOnLongText(pattern: string, filler: string, length: number): boolean {
  return compileGlob(pattern).test(long(filler, length));
}
