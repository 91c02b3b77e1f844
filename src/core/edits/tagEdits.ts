/** Adding, removing and renaming tags in comma-separated captions; prose captions are left alone. */
import { CaptionSource, EditOptionError, EditPlan, quoteList } from './editPlan';
import { keepingFirst, planTagEdit, tagArguments, tagKey, tagMatcher, withoutDuplicates } from './tagList';

export interface AddTagsOptions {
  readonly tags: readonly string[];
  /** 'after': right after the tag `after` (at the end in captions without it). */
  readonly position: 'start' | 'end' | 'after';
  /** With 'after': the tag the new ones follow (compared case-insensitively). */
  readonly after?: string;
  /** With 'start': add after the first tag (the trigger word stays first). */
  readonly keepFirstTag?: boolean;
}

/** Adds the tags a caption lacks (compared case-insensitively), at the start, the end, or after a given tag. */
export function addTags(sources: readonly CaptionSource[], options: AddTagsOptions): EditPlan {
  const wanted = withoutDuplicates(tagArguments(options.tags, 'add'));
  const keepFirst = options.keepFirstTag && options.position === 'start';
  const anchor = options.position === 'after' ? (options.after ?? '').trim() : '';
  if (options.position === 'after' && !anchor) throw new EditOptionError('Type the tag the new tags go after.', 'after');
  const where = options.position === 'after' ? `after "${anchor}"` : `at the ${options.position}`;
  const operation = `Add tags ${quoteList(wanted)} ${where}${keepFirst ? ' (after the first tag)' : ''}`;
  return planTagEdit(operation, sources, (tags) => {
    const present = new Set(tags.map(tagKey));
    const missing = wanted.filter((t) => !present.has(tagKey(t)));
    if (missing.length === 0) return tags;
    if (options.position === 'after') {
      const at = tags.findIndex((t) => tagKey(t) === tagKey(anchor));
      return at < 0 ? [...tags, ...missing] : [...tags.slice(0, at + 1), ...missing, ...tags.slice(at + 1)];
    }
    return options.position === 'end' ? [...tags, ...missing] : keepingFirst(tags, keepFirst, (rest) => [...missing, ...rest]);
  });
}

export interface ReorderTagsOptions {
  /** The tags in their new order; in each caption, the ones it has take the places they held, in this order. */
  readonly order: readonly string[];
}

/** Reorders tags within each caption: other tags keep their places (the shared-tags pane's up/down and drag). */
export function reorderTags(sources: readonly CaptionSource[], options: ReorderTagsOptions): EditPlan {
  const order = withoutDuplicates(options.order.map((t) => t.trim()).filter(Boolean));
  if (order.length < 2) throw new EditOptionError('Name at least two tags to reorder.', 'order');
  const rank = new Map(order.map((t, i) => [tagKey(t), i] as const));
  return planTagEdit(`Reorder tags ${quoteList(order)}`, sources, (tags) => {
    const slots = tags.map((t, i) => (rank.has(tagKey(t)) ? i : -1)).filter((i) => i >= 0);
    const moved = slots.map((i) => tags[i]).sort((a, b) => rank.get(tagKey(a))! - rank.get(tagKey(b))!);
    const out = [...tags];
    slots.forEach((slot, k) => (out[slot] = moved[k]));
    return out;
  });
}

export interface RemoveTagsOptions {
  /** Tags to remove, case-insensitively; '*' matches any characters ("*_background"). */
  readonly tags: readonly string[];
  /** Never removes the first tag. */
  readonly keepFirstTag?: boolean;
  /** '*' is a character like any other (a tag the user clicked, not a pattern they typed). */
  readonly literal?: boolean;
}

export function removeTags(sources: readonly CaptionSource[], options: RemoveTagsOptions): EditPlan {
  const patterns = tagArguments(options.tags, 'remove');
  const literalKeys = new Set(patterns.map(tagKey));
  const matches = options.literal ? (tag: string) => literalKeys.has(tagKey(tag)) : tagMatcher(patterns);
  const operation = `Remove tags ${quoteList(patterns)}${options.keepFirstTag ? ' (keeping the first tag)' : ''}`;
  return planTagEdit(operation, sources, (tags) => keepingFirst(tags, options.keepFirstTag, (rest) => rest.filter((t) => !matches(t))));
}

export interface RenameTagOptions {
  readonly from: string;
  readonly to: string;
}

/** Renames a tag (matched case-insensitively); where the new name was already present, one copy is kept, at the first place. */
export function renameTag(sources: readonly CaptionSource[], options: RenameTagOptions): EditPlan {
  const from = options.from.trim();
  const to = options.to.trim();
  if (!from) throw new EditOptionError('Type the tag to rename.', 'from');
  if (!to || to.includes(',')) throw new EditOptionError('Type one new tag name, without commas (use Remove Tags to delete a tag).', 'to');
  const fromKey = tagKey(from);
  const toKey = tagKey(to);
  return planTagEdit(`Rename tag "${from}" to "${to}"`, sources, (tags) => {
    if (!tags.some((t) => tagKey(t) === fromKey)) return tags;
    let placed = false;
    const out: string[] = [];
    for (const tag of tags) {
      const key = tagKey(tag);
      if (key !== fromKey && key !== toKey) out.push(tag);
      else if (!placed) {
        out.push(to);
        placed = true;
      }
    }
    return out;
  });
}
