/** Deduplicating and reordering tags in comma-separated captions; prose captions are left alone. */
import { CaptionSource, EditPlan, quoteList } from './editPlan';
import { keepingFirst, parseTagCaption, planTagEdit, tagArguments, tagKey, withoutDuplicates } from './tagList';

export interface TagOrderOptions {
  /** The first tag (often a trigger word) stays where it is. */
  readonly keepFirstTag?: boolean;
}

const keepNote = (options: TagOrderOptions): string => (options.keepFirstTag ? ' (keeping the first tag)' : '');

/** Removes later copies of a tag (case-insensitively); the first copy, and so the first tag, always stays. */
export function dedupeTags(sources: readonly CaptionSource[]): EditPlan {
  return planTagEdit('Remove duplicate tags', sources, withoutDuplicates);
}

export type TagSortOrder = 'alpha' | 'frequency';

const collator = new Intl.Collator('en', { sensitivity: 'base' });

/** Sorts tags alphabetically, or by how many of `sources` carry them (most first, ties alphabetical). */
export function sortTags(sources: readonly CaptionSource[], options: TagOrderOptions & { readonly order: TagSortOrder }): EditPlan {
  const frequency = options.order === 'frequency' ? tagFrequencies(sources) : undefined;
  const compare = (a: string, b: string): number =>
    (frequency ? (frequency.get(tagKey(b)) ?? 0) - (frequency.get(tagKey(a)) ?? 0) : 0) || collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
  const operation = `Sort tags ${options.order === 'alpha' ? 'alphabetically' : 'by frequency'}${keepNote(options)}`;
  return planTagEdit(operation, sources, (tags) => keepingFirst(tags, options.keepFirstTag, (rest) => [...rest].sort(compare)));
}

/** How many captions carry each tag (by tagKey), counting a tag once per caption. */
export function tagFrequencies(sources: readonly CaptionSource[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const source of sources) {
    const parsed = source.text === undefined ? undefined : parseTagCaption(source.text);
    for (const key of new Set(parsed?.tags.map(tagKey))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Puts the listed tags first, in the order listed; the other tags keep their order. */
export function moveTagsToFront(sources: readonly CaptionSource[], options: TagOrderOptions & { readonly tags: readonly string[] }): EditPlan {
  const wanted = tagArguments(options.tags, 'move');
  const rank = new Map(wanted.map((tag, i) => [tagKey(tag), i] as const));
  const operation = `Move tags ${quoteList(wanted)} to the front${keepNote(options)}`;
  return planTagEdit(operation, sources, (tags) =>
    keepingFirst(tags, options.keepFirstTag, (rest) => {
      const moved = rest.filter((t) => rank.has(tagKey(t))).sort((a, b) => rank.get(tagKey(a))! - rank.get(tagKey(b))!);
      return [...moved, ...rest.filter((t) => !rank.has(tagKey(t)))];
    }),
  );
}
