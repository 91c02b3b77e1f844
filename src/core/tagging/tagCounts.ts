/** How many captions carry each tag: the Tags view's rows and the dataset half of autocomplete. */
import { parseTagCaption, tagKey } from '../edits/tagList';

/** One tag with the number of captions that carry it (once per caption), in the first spelling seen. */
export interface TagCount {
  readonly tag: string;
  /** `tagKey(tag)`: tags compare without regard to case. */
  readonly key: string;
  readonly count: number;
}

export type TagSort = 'count' | 'name';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * Counts the tags of comma-separated captions (prose and missing captions are skipped), each tag
 * once per caption. The spelling shown is the first one seen. Linear in the total text.
 */
export function countTags(texts: Iterable<string | undefined>): TagCount[] {
  const tally = new TagTally();
  for (const text of texts) tally.add(text);
  return tally.counts();
}

/** countTags one caption at a time, so that a host can yield between slices of a big dataset. */
export class TagTally {
  private readonly entries = new Map<string, { tag: string; count: number; seenIn: number }>();
  private caption = 0;

  /** Counts the tags of one caption (undefined or prose: nothing). */
  add(text: string | undefined): void {
    this.caption++;
    if (!text) return;
    const parsed = parseTagCaption(text);
    if (!parsed) return;
    for (const tag of parsed.tags) {
      const key = tagKey(tag);
      const entry = this.entries.get(key);
      if (!entry) this.entries.set(key, { tag, count: 1, seenIn: this.caption });
      else if (entry.seenIn !== this.caption) {
        // a tag written twice in one caption counts once
        entry.count++;
        entry.seenIn = this.caption;
      }
    }
  }

  /** The counts so far, in no particular order. */
  counts(): TagCount[] {
    return [...this.entries].map(([key, { tag, count }]) => ({ tag, key, count }));
  }
}

/** The counts in view order: most used first (ties by name), or by name (natural order, case-insensitive). */
export function sortTagCounts(counts: readonly TagCount[], sort: TagSort): TagCount[] {
  const byName = (a: TagCount, b: TagCount): number => collator.compare(a.tag, b.tag) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return [...counts].sort(sort === 'count' ? (a, b) => b.count - a.count || byName(a, b) : byName);
}

/** The counts whose tag holds `search` (case-insensitive; '_' and ' ' are the same); all for ''. */
export function searchTagCounts(counts: readonly TagCount[], search: string): TagCount[] {
  const wanted = spaced(tagKey(search.trim()));
  return wanted ? counts.filter((c) => spaced(c.key).includes(wanted)) : [...counts];
}

/** Underscores as spaces: booru tags are written both ways ("long_hair", "long hair"). */
export function spaced(text: string): string {
  return text.includes('_') ? text.replace(/_/g, ' ') : text;
}
