/** Where a tagger's tags go: a new caption, or merged into the caption already there. */
import type { BatchMode } from '../captioning/captionMerge';
import { mergeCaption } from '../captioning/captionMerge';
import { finalBreaks } from '../edits/editPlan';
import { formatTags, parseTagCaption, withoutDuplicates } from '../edits/tagList';
import { splitTags } from '../captioning/prompts';

/**
 * The caption to write. `overwrite`/`skip` (or no caption yet): the tags alone. `prepend`: the new
 * tags first, then the caption's tags that are not among them, in their order. `append`: the
 * caption's tags in their order, then the new ones it lacks. Tags compare case-insensitively; the
 * caption's final line breaks are kept as they were. A prose caption keeps its text and gets the tags joined before or after it.
 */
export function mergeTagsIntoCaption(existing: string, tags: readonly string[], mode: BatchMode): string {
  const parsed = parseTagCaption(existing);
  const end = parsed?.end ?? finalBreaks(existing);
  if (mode === 'skip' || mode === 'overwrite' || existing.trim() === '') return formatTags(withoutDuplicates(tags), end);
  if (!parsed) return mergeCaption(existing, formatTags(withoutDuplicates(tags), ''), mode, ', ');
  const merged = mode === 'prepend' ? withoutDuplicates([...tags, ...parsed.tags]) : withoutDuplicates([...parsed.tags, ...tags]);
  return formatTags(merged, end);
}

/** The batch engine's merge for a tagger: its text is a tag list (`a, b, c`), merged as tags rather than as text. */
export function mergeTagText(existing: string, generated: string, mode: BatchMode): string {
  return mergeTagsIntoCaption(existing, splitTags(generated), mode);
}
