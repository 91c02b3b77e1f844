/** Work over long, hostile texts, run by tests in a time-boxed worker thread (see callWithin). */
import { addAffixes } from '../../../src/core/captioning/cleanup';
import { mergeCaption } from '../../../src/core/captioning/captionMerge';
import { compileQuery, parseQuery } from '../../../src/core/dataset/query';
import { normalizeText } from '../../../src/core/edits/normalize';
import { addPrefixSuffix } from '../../../src/core/edits/prefixSuffix';
import { planImport } from '../../../src/core/import/planImport';
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

/**
 * Each caption edit that strips separators or line breaks at a caption's edges, on a caption whose
 * middle is `run` repeated to `length` characters (a run that does not reach the edge is what made
 * unanchored `(?:\s|,)+$`-style regexes quadratic). Returns the lengths of the results.
 */
export function edgeTrimsOnLongRuns(run: string, length: number): number[] {
  const caption = `a${long(run, length)}b`;
  return [
    mergeCaption(caption, 'new', 'append', ', ').length,
    mergeCaption(caption, 'new', 'prepend', ', ').length,
    normalizeText(caption, { trim: true }).length,
    addPrefixSuffix([{ captionPath: '/d/a.txt', imagePath: '/d/a.jpg', text: caption }], { prefix: caption, suffix: caption }).changes.length,
    addAffixes('text', caption, caption).length,
    planImport([{ image: 'a.jpg', caption }, { image: 'a.jpg', caption: 'two' }], [{ imagePath: '/d/a.jpg', relPath: 'a.jpg', captionPath: '/d/a.txt', existing: undefined }], { which: 'all', conflict: 'overwrite' }).writes.length,
    removeTags([{ captionPath: '/d/a.txt', imagePath: '/d/a.jpg', text: caption }], { tags: ['x'] }).changes.length,
  ];
}
