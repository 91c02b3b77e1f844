/**
 * Tag autocomplete over the dataset's own tags and an optional booru tag list. Each is a
 * TagNameIndex built once (the list when its file is read, the dataset's when its tags change);
 * a keystroke asks both, tier by tier (100,000 list rows with aliases: a few ms per keystroke).
 */
import type { BooruTag } from './booruTagList';
import type { TagCount } from './tagCounts';
import { IndexedTag, MatchTier, normalizeTagName, TagNameIndex } from './tagNameIndex';
import { writtenTag } from './tagSelection';

export { normalizeTagName };

/** Where a suggestion comes from. */
export type TagSource = 'dataset' | 'list';

/** One proposed tag; `alias` is the alias the typed text matched (the tag is its canonical name). */
export interface TagSuggestion {
  readonly tag: string;
  readonly count: number;
  readonly source: TagSource;
  readonly alias?: string;
  /** The list's category (0 general, 1 artist, 3 copyright, 4 character, 5 meta on Danbooru). */
  readonly category?: number;
}

const TIERS: readonly MatchTier[] = ['prefix', 'word', 'scan'];

/** A booru list ready for completion; build once per file read (the extension does it in tagCompleteThread.ts). */
export function listIndex(list: readonly BooruTag[]): TagNameIndex {
  return TagNameIndex.of(list.map(listEntry));
}

function listEntry(t: BooruTag): IndexedTag {
  return { tag: t.name, count: t.count, category: t.category, aliases: t.aliases };
}

/** Ranked tag suggestions from the dataset's tags and a list. */
export class TagCompleter {
  private readonly dataset: TagNameIndex;
  private readonly underscores: boolean;

  constructor(datasetTags: readonly TagCount[], private readonly list: TagNameIndex = TagNameIndex.of([])) {
    this.dataset = TagNameIndex.of(datasetTags.map((t) => ({ tag: t.tag, count: t.count })));
    this.underscores = prefersUnderscores(datasetTags);
  }

  /**
   * Up to `limit` tags for `typed`, best first: names starting with it (an exact name first), then
   * names with a word starting with it, then names containing it, then names holding its
   * characters in order (the first at a word start); within each, dataset tags before list tags,
   * then by count. A match through an alias proposes the canonical tag and names the alias; a list
   * tag the dataset has is proposed as the dataset writes it. Tags whose normalized name is in
   * `exclude` (those already in the caption) are left out.
   */
  complete(typed: string, limit = 10, exclude: ReadonlySet<string> = new Set()): TagSuggestion[] {
    const q = normalizeTagName(typed);
    if (q === '' || limit <= 0) return [];
    const out: TagSuggestion[] = [];
    const fromDataset = new Set<number>();
    const fromList = new Set<number>();
    for (const tier of TIERS) {
      // an excluded tag is skipped where it is matched, so it takes no place of the `limit` (a caption of 1,000 tags asks for 10, not 1,010)
      for (const m of this.dataset.match(q, tier, limit - out.length, (e) => fromDataset.has(e) || exclude.has(this.dataset.keys[e]))) {
        fromDataset.add(m.entry);
        const e = this.dataset.entries[m.entry];
        out.push({ tag: e.tag, count: e.count, source: 'dataset' });
      }
      // a list tag the dataset already has was proposed as the dataset's (or will be, in its own tier)
      const skipList = (e: number): boolean => fromList.has(e) || exclude.has(this.list.keys[e]) || (this.dataset.find(this.list.keys[e]) !== undefined && !this.aliasOnly(e));
      for (const m of this.list.match(q, tier, limit - out.length, skipList)) {
        fromList.add(m.entry);
        const e = this.list.entries[m.entry];
        const inDataset = this.dataset.find(this.list.keys[m.entry]);
        if (inDataset !== undefined) {
          if (fromDataset.has(inDataset)) continue;
          fromDataset.add(inDataset);
          const d = this.dataset.entries[inDataset];
          out.push({ tag: d.tag, count: d.count, source: 'dataset', ...(m.alias !== undefined ? { alias: m.alias } : {}) });
          continue;
        }
        const tag = writtenTag(e.tag, { underscoresToSpaces: !this.underscores, escapeParentheses: false });
        out.push({ tag, count: e.count, source: 'list', ...(m.alias !== undefined ? { alias: m.alias } : {}), ...(e.category !== undefined ? { category: e.category } : {}) });
      }
      if (out.length >= limit) break;
    }
    return out.slice(0, limit);
  }

  /** True for list entries whose aliases may still lead to the dataset's tag of the same name. */
  private aliasOnly(entry: number): boolean {
    return (this.list.entries[entry].aliases?.length ?? 0) > 0;
  }
}

/** Whether the dataset writes multi-word tags with underscores ("long_hair") rather than spaces. */
function prefersUnderscores(tags: readonly TagCount[]): boolean {
  let underscored = 0;
  let spaced = 0;
  for (const t of tags) {
    if (t.tag.includes('_')) underscored += t.count;
    else if (t.tag.includes(' ')) spaced += t.count;
  }
  return underscored > spaced;
}
