/** Adding, removing and renaming tags in comma-separated captions; prose captions are left alone. */
import { CaptionSource, EditOptionError, EditPlan, quoteList } from './editPlan';
import { keepingFirst, planTagEdit, tagArguments, tagKey, tagMatcher, withoutDuplicates } from './tagList';

export interface AddTagsOptions {
  readonly tags: readonly string[];
  readonly position: 'start' | 'end';
  /** With 'start': add after the first tag (the trigger word stays first). */
  readonly keepFirstTag?: boolean;
}

/** Adds the tags a caption lacks (compared case-insensitively), at the start or the end. */
export function addTags(sources: readonly CaptionSource[], options: AddTagsOptions): EditPlan {
  const wanted = withoutDuplicates(tagArguments(options.tags, 'add'));
  const keepFirst = options.keepFirstTag && options.position === 'start';
  const operation = `Add tags ${quoteList(wanted)} at the ${options.position}${keepFirst ? ' (after the first tag)' : ''}`;
  return planTagEdit(operation, sources, (tags) => {
    const present = new Set(tags.map(tagKey));
    const missing = wanted.filter((t) => !present.has(tagKey(t)));
    if (missing.length === 0) return tags;
    return options.position === 'end' ? [...tags, ...missing] : keepingFirst(tags, keepFirst, (rest) => [...missing, ...rest]);
  });
}

export interface RemoveTagsOptions {
  /** Tags to remove, case-insensitively; '*' matches any characters ("*_background"). */
  readonly tags: readonly string[];
  /** Never removes the first tag. */
  readonly keepFirstTag?: boolean;
}

export function removeTags(sources: readonly CaptionSource[], options: RemoveTagsOptions): EditPlan {
  const patterns = tagArguments(options.tags, 'remove');
  const matches = tagMatcher(patterns);
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
