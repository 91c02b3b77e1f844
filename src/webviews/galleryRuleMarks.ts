/**
 * The gallery's view of the tag rules: which broken rules a card shows (banned tags, missing
 * required tags; order is the caption editor's and the Problems view's business) and what the
 * selection breaks, for the shared-tags pane. The problems themselves come from `checkTagRules`
 * through `CaptionTagRules`, as in the caption editor.
 */
import { tagKey } from '../core/edits/tagList';
import type { TagRuleFix, TagRuleProblem } from '../core/tagging/tagRuleCheck';
import { forEachInSlices } from './hostSlices';
import type { SelectionRuleMarks } from './protocol/galleryMessages';

/** The problems a gallery card and pane show. */
export function galleryProblems(problems: readonly TagRuleProblem[]): TagRuleProblem[] | undefined {
  const shown = problems.filter((p) => p.kind === 'banned-tag' || p.kind === 'missing-required-tag');
  return shown.length > 0 ? shown : undefined;
}

/**
 * `check(i)` for every i below `count`, in slices of about `sliceMs` of the host's thread: checking
 * 100,000 booru captions that all break a rule took 1.3 s in one piece.
 */
export async function marksInSlices(count: number, check: (i: number) => TagRuleProblem[] | undefined, sliceMs = 10): Promise<(TagRuleProblem[] | undefined)[]> {
  // filled, not sparse: map() skips holes, and the notes are packed from a map
  const out = new Array<TagRuleProblem[] | undefined>(count).fill(undefined);
  await forEachInSlices(count, (i) => (out[i] = check(i)), sliceMs);
  return out;
}

/** The fixes a card's badge offers: one per banned or missing tag (a banned tag written twice is one fix), in the problems' order. */
export function ruleFixesOf(problems: readonly TagRuleProblem[]): TagRuleFix[] {
  const seen = new Set<string>();
  const fixes: TagRuleFix[] = [];
  for (const p of problems) {
    if (p.kind !== 'banned-tag' && p.kind !== 'missing-required-tag') continue;
    const key = `${p.kind}\u0000${tagKey(p.tag)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fixes.push({ kind: p.kind, tag: p.tag });
  }
  return fixes;
}

/** A card's note: one line per problem ('' none). */
export function ruleNote(problems: readonly TagRuleProblem[] | undefined): string {
  return problems ? problems.map((p) => p.message).join('\n') : '';
}

/** Banned and missing tags over the selected captions' problems, each counted once per caption, most frequent first. */
export function selectionRuleMarks(perCaption: Iterable<readonly TagRuleProblem[] | undefined>): SelectionRuleMarks {
  const tally = new RuleMarksTally();
  for (const problems of perCaption) tally.add(problems);
  return tally.result();
}

/** `selectionRuleMarks` one caption at a time (the gallery spreads a large selection over several turns). */
export class RuleMarksTally {
  private readonly banned = new Map<string, { tag: string; count: number }>();
  private readonly missing = new Map<string, { tag: string; count: number }>();

  /** Counts one selected caption's problems. */
  add(problems: readonly TagRuleProblem[] | undefined): void {
    if (!problems) return;
    // the card badge's fixes: a banned tag written twice is one caption
    for (const fix of ruleFixesOf(problems)) {
      const counts = fix.kind === 'banned-tag' ? this.banned : this.missing;
      const key = tagKey(fix.tag);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { tag: fix.tag, count: 1 });
    }
  }

  /** The marks of the captions added so far. */
  result(): SelectionRuleMarks {
    const sorted = (m: Map<string, { tag: string; count: number }>): { tag: string; count: number }[] => [...m.values()].sort((a, b) => b.count - a.count);
    return { banned: sorted(this.banned), missing: sorted(this.missing) };
  }
}
