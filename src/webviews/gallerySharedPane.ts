/**
 * The gallery's shared-tags pane for a selection, computed in slices of the host's thread: Ctrl+A
 * over 100,000 images was one pass of several hundred milliseconds, during which no other
 * extension (nor the gallery's own keys) got a turn.
 */
import { SharedTagsTally, type SharedTags } from '../core/tagging/sharedTags';
import type { TagRuleProblem } from '../core/tagging/tagRuleCheck';
import { RuleMarksTally } from './galleryRuleMarks';
import { forEachInSlices } from './hostSlices';
import type { SelectionRuleMarks } from './protocol/galleryMessages';

/** The pane of one selection: its tags and the tag rules it breaks. */
export interface SelectionPane {
  readonly tags: SharedTags;
  readonly rules: SelectionRuleMarks;
}

/**
 * The pane of the `selected` items, or undefined once `stale()` says a newer selection (or new
 * items) superseded it: that computation stops at its next slice and its result is never sent.
 */
export async function selectionPaneInSlices(
  selected: ArrayLike<number>,
  captions: readonly (string | null | undefined)[],
  problems: readonly (readonly TagRuleProblem[] | undefined)[],
  stale: () => boolean,
  sliceMs = 10,
): Promise<SelectionPane | undefined> {
  const tags = new SharedTagsTally();
  const rules = new RuleMarksTally();
  const finished = await forEachInSlices(
    selected.length,
    (n) => {
      const i = selected[n];
      tags.add(captions[i]);
      rules.add(problems[i]);
    },
    sliceMs,
    stale,
  );
  return finished && !stale() ? { tags: tags.result(), rules: rules.result() } : undefined;
}
