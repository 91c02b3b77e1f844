import { isCommaSeparated } from '../captioning/captionMerge';
import { splitTags } from '../captioning/prompts';
import { compileGlob } from '../patterns/glob';
import { CaptionSource, EditOptionError, EditPlan, finalBreaks, planEdits } from './editPlan';

/** A comma-separated caption as its tags and its final line break. */
export interface TagCaption {
  readonly tags: string[];
  /** The end of the caption from its first trailing line break on (`\n`, `\n\n`, `\n\t`), kept as it was; '' without one. */
  readonly end: string;
}

/**
 * The tags of a caption, or undefined for prose ("A dog, running in a park."), which tag
 * operations leave alone. A blank caption is an empty tag list; one phrase without a full stop is one tag.
 */
export function parseTagCaption(text: string): TagCaption | undefined {
  // Every trailing line break is kept, not just one: an edit must not change a caption's bytes beyond
  // its tags (a stranger's 'a, b\n\n' stays so).
  const body = text.trim();
  const end = finalBreaks(text);
  if (body.includes('\n')) return undefined;
  const isTagList = body === '' || (body.includes(',') ? isCommaSeparated(body) : !/[.!?]$/.test(body));
  return isTagList ? { tags: splitTags(body), end } : undefined;
}

export function formatTags(tags: readonly string[], end: string): string {
  return tags.join(', ') + end;
}

/** Tags compare without regard to case: "Red Hair" and "red hair" are one tag. */
export function tagKey(tag: string): string {
  return tag.toLowerCase();
}

/** The tags the user typed, each entry possibly itself "a, b"; throws when there are none. */
export function tagArguments(tags: readonly string[], what: string): string[] {
  const list = tags.flatMap((t) => splitTags(t));
  if (list.length === 0) throw new EditOptionError(`Type at least one tag to ${what}.`, 'tags');
  return list;
}

/** A test for tags matching any of `patterns`, case-insensitively; '*' stands for any characters ('?' is literal). */
export function tagMatcher(patterns: readonly string[]): (tag: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.includes('*')).map(tagKey));
  const globs = patterns.filter((p) => p.includes('*')).map((p) => compileGlob(tagKey(p), { questionMark: false }));
  return (tag) => {
    const key = tagKey(tag);
    return exact.has(key) || globs.some((glob) => glob.test(key));
  };
}

/** Plans a tag operation: `edit` maps a caption's tags to new ones; unchanged lists keep their original text. */
export function planTagEdit(operation: string, sources: readonly CaptionSource[], edit: (tags: string[]) => string[]): EditPlan {
  return planEdits(operation, sources, (text) => {
    const parsed = parseTagCaption(text);
    if (!parsed) return text;
    const tags = edit(parsed.tags);
    const same = tags.length === parsed.tags.length && tags.every((t, i) => t === parsed.tags[i]);
    return same ? text : formatTags(tags, parsed.end);
  });
}

/** Runs `edit` on the tags after the first when `keepFirst` (the trigger word stays in place). */
export function keepingFirst(tags: string[], keepFirst: boolean | undefined, edit: (tags: string[]) => string[]): string[] {
  return keepFirst && tags.length > 0 ? [tags[0], ...edit(tags.slice(1))] : edit(tags);
}

/** Drops later copies of any tag, case-insensitively. */
export function withoutDuplicates(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = tagKey(tag);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
