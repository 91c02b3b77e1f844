/**
 * The shared-tags pane of a selection: the tags every selected tag caption has (in their common
 * order) and the tags only some have (with counts). Tags compare without regard to case, as the
 * tag edits do; a tag repeated in one caption counts once. Prose captions are not tag lists (tag
 * edits leave them alone), so they are counted apart and take no part in the intersection; so are
 * captions that could not be read (null).
 * Browser-safe, no I/O.
 */
import { parseTagCaption, tagKey } from '../edits/tagList';
import type { SharedTags } from './sharedTagsModel';

export type { SharedTags, TagCount } from './sharedTagsModel';

interface Tally {
  tag: string;
  count: number;
  positionSum: number;
  firstSeen: number;
  /** The caption that counted it last (a tag repeated in one caption counts once). */
  lastCaption: number;
}

/** Computes the pane for these captions (undefined: the image has no caption file, an empty tag list; null: it could not be read). */
export function sharedTags(captions: Iterable<string | null | undefined>): SharedTags {
  const tally = new SharedTagsTally();
  for (const text of captions) tally.add(text);
  return tally.result();
}

/**
 * The pane built one caption at a time, so a caller can spread a large selection over several
 * turns of its thread (the gallery's Ctrl+A over 100,000 captions was one long turn).
 */
export class SharedTagsTally {
  private readonly tallies = new Map<string, Tally>();
  private selected = 0;
  private tagCaptions = 0;
  private unreadable = 0;

  /** Counts one selected caption (undefined: no caption file, an empty tag list; null: it could not be read). */
  add(text: string | null | undefined): void {
    const tallies = this.tallies;
    const selected = ++this.selected;
    if (text === null) {
      this.unreadable++;
      return;
    }
    const parsed = parseTagCaption(text ?? '');
    if (!parsed) return;
    this.tagCaptions++;
    let position = 0;
    for (const tag of parsed.tags) {
      const key = tagKey(tag);
      let tally = tallies.get(key);
      if (!tally) {
        tally = { tag, count: 0, positionSum: 0, firstSeen: tallies.size, lastCaption: -1 };
        tallies.set(key, tally);
      }
      if (tally.lastCaption === selected) continue;
      tally.lastCaption = selected;
      tally.count++;
      // Relative position (0 first .. 1 last), so long and short captions weigh alike in the common order.
      tally.positionSum += parsed.tags.length > 1 ? position / (parsed.tags.length - 1) : 0;
      position++;
    }
  }

  /** The pane of the captions added so far. */
  result(): SharedTags {
    const { selected, tagCaptions, unreadable } = this;
    const all: Tally[] = [];
    const some: Tally[] = [];
    for (const tally of this.tallies.values()) (tally.count === tagCaptions ? all : some).push(tally);
    all.sort((a, b) => a.positionSum - b.positionSum || a.firstSeen - b.firstSeen);
    some.sort((a, b) => b.count - a.count || a.firstSeen - b.firstSeen);
    return {
      selected,
      tagCaptions,
      prose: selected - tagCaptions - unreadable,
      unreadable,
      all: tagCaptions === 0 ? [] : all.map((t) => t.tag),
      some: some.map((t) => ({ tag: t.tag, count: t.count })),
    };
  }
}
