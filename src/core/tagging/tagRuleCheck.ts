/** Checking a caption's tags against the tag rules (problems with UTF-16 ranges and fixes) and fixing them in bulk. */
import type { TextEdit } from '../lint/lintTypes';
import { CaptionSource, EditPlan, PlannedChange } from '../edits/editPlan';
import { applyEdits } from '../lint/textEdits';
import { planTagEdit, tagKey } from '../edits/tagList';
import { CompiledTagRules } from './tagRules';
import { tagRemoval, tagSpans } from './tagSpans';

/** Order problems reported per caption at most (each names another tag: a scan of the caption). */
const MAX_ORDER_PROBLEMS = 20;

export type TagRuleKind = 'missing-required-tag' | 'banned-tag' | 'tag-order';

/** One broken rule in one caption; `message` is plain text. */
export interface TagRuleProblem {
  readonly kind: TagRuleKind;
  /** The tag the problem is about: the banned tag as written, the required tag, the tag out of order. */
  readonly tag: string;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly fix: { readonly title: string; readonly edits: readonly TextEdit[] };
}

/**
 * The problems of a caption in a dataset-relative folder: each banned tag (fix: remove it), each
 * required tag it lacks (fix: add it, in front for an always-first tag, else at the end) and each
 * tag that a rule wants earlier (fix: the whole list in rule order, one edit). Prose is not checked.
 */
export function checkTagRules(text: string, rules: CompiledTagRules, folder: string): TagRuleProblem[] {
  if (rules.isEmpty) return [];
  const spans = tagSpans(text);
  if (!spans) return [];
  const out: TagRuleProblem[] = [];
  spans.forEach((span, i) => {
    if (!rules.isBanned(span.tag)) return;
    out.push({ kind: 'banned-tag', tag: span.tag, message: `"${span.tag}" is a banned tag (tag rules).`, start: span.start, end: span.end, fix: { title: `Remove banned tag "${span.tag}"`, edits: [tagRemoval(text, spans, i)] } });
  });
  const present = new Set(spans.map((s) => tagKey(s.tag)));
  const listStart = spans.length ? spans[0].start : 0;
  const listEnd = spans.length ? spans[spans.length - 1].end : text.trimEnd().length;
  for (const { tag, pattern } of rules.requiredFor(folder)) {
    if (present.has(tagKey(tag))) continue;
    const where = pattern.trim() === '' || pattern.trim() === '*' ? '' : ` in folders matching "${pattern}"`;
    const edit = spans.length === 0 ? { start: 0, end: 0, newText: tag } : rules.isAlwaysFirst(tag) ? { start: listStart, end: listStart, newText: `${tag}, ` } : { start: listEnd, end: listEnd, newText: `, ${tag}` };
    out.push({ kind: 'missing-required-tag', tag, message: `Required tag "${tag}" is missing (tag rules${where}).`, start: listStart, end: listEnd, fix: { title: `Add required tag "${tag}"`, edits: [edit] } });
  }
  const order = spans.map((_, i) => i);
  const desired = rules.ordered(order, (i) => spans[i].tag);
  if (desired.some((d, k) => d !== k)) {
    const rank = new Array<number>(spans.length);
    desired.forEach((actual, k) => (rank[actual] = k));
    const fix = { title: 'Put the tags in rule order', edits: [{ start: listStart, end: listEnd, newText: desired.map((i) => spans[i].tag).join(', ') }] };
    // a tag is out of place when a tag before it should come after it; the first such tag is named
    let furthest = -1;
    let reported = 0;
    for (let i = 0; i < spans.length && reported < MAX_ORDER_PROBLEMS; i++) {
      if (furthest !== -1 && rank[furthest] > rank[i]) {
        let other = 0;
        while (rank[other] < rank[i]) other++;
        const why = rules.reason(spans[i].tag) === 'alwaysFirst' ? 'it is an always-first tag' : 'an order rule';
        out.push({ kind: 'tag-order', tag: spans[i].tag, message: `"${spans[i].tag}" should come before "${spans[other].tag}" (tag rules: ${why}).`, start: spans[i].start, end: spans[i].end, fix });
        reported++;
      }
      if (furthest === -1 || rank[i] > rank[furthest]) furthest = i;
    }
  }
  return out;
}

/** A caption's tags with banned ones removed and the rest in rule order. */
export function applyTagRulesToTags(tags: readonly string[], rules: CompiledTagRules): string[] {
  return rules.ordered(tags.filter((t) => !rules.isBanned(t)), (t) => t);
}

/** "Apply Tag Rules" over captions: banned tags removed, tags reordered; prose left alone; missing required tags are reported, not invented. */
export function planApplyTagRules(sources: readonly CaptionSource[], rules: CompiledTagRules): EditPlan {
  return planTagEdit('Apply tag rules', sources, (tags) => applyTagRulesToTags(tags, rules));
}

/** A tag-rule fix asked for by tag: remove a banned tag, or add a missing required one. */
export interface TagRuleFix {
  readonly kind: 'banned-tag' | 'missing-required-tag';
  readonly tag: string;
}

/** Problems fixed per caption at most (a banned tag written many times is removed one fix at a time). */
const MAX_FIXES_PER_CAPTION = 64;

/**
 * One fix applied to every caption it concerns: the same fixes `checkTagRules` offers (a banned tag
 * removed wherever it is written, a required tag added where the caption's folder requires it and it
 * lacks it, in front for an always-first tag). `folderOf` gives a source's dataset-relative folder.
 */
export function planTagRuleFix(sources: readonly CaptionSource[], rules: CompiledTagRules, folderOf: (source: CaptionSource) => string, fix: TagRuleFix): EditPlan {
  const key = tagKey(fix.tag);
  const operation = fix.kind === 'banned-tag' ? `Remove banned tag "${fix.tag}"` : `Add required tag "${fix.tag}"`;
  const changes: PlannedChange[] = [];
  for (const source of sources) {
    if (source.text === undefined) continue;
    const folder = folderOf(source);
    let text = source.text;
    // one fix at a time, checked again: two removals of one tag written twice would overlap
    for (let n = 0; n < MAX_FIXES_PER_CAPTION; n++) {
      const problem = checkTagRules(text, rules, folder).find((p) => p.kind === fix.kind && tagKey(p.tag) === key);
      if (!problem) break;
      text = applyEdits(text, problem.fix.edits);
    }
    if (text !== source.text) changes.push({ captionPath: source.captionPath, imagePath: source.imagePath, before: source.text, after: text });
  }
  return { operation, changes, deletions: [], unchanged: sources.length - changes.length, matches: 0 };
}
