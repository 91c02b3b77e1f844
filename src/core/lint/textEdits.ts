import type { LintProblem, LintRuleId, QuickFix, TextEdit } from './lintTypes';

/** A problem factory bound to one rule and severity. */
export type Report = (start: number, end: number, message: string, fix?: QuickFix) => void;

/** `text` with non-overlapping `edits` applied (in any order); throws on overlap, which is a rule's bug. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) throw new Error(`overlapping edits at ${edit.start}`);
    out += text.slice(at, edit.start) + edit.newText;
    at = edit.end;
  }
  return out + text.slice(at);
}

/**
 * "Fix all of this kind": each caption with the fixes of `rule` applied. Fixes of one rule in one
 * caption that overlap an earlier one are skipped (the next lint run offers them again).
 */
export function fixAllOfKind(texts: readonly string[], problems: readonly (readonly LintProblem[])[], rule: LintRuleId): string[] {
  return texts.map((text, i) => {
    const edits: TextEdit[] = [];
    for (const problem of problems[i] ?? []) {
      if (problem.rule !== rule || !problem.fix) continue;
      for (const edit of problem.fix.edits) {
        if (edits.some((e) => edit.start < e.end && e.start < edit.end)) continue;
        edits.push(edit);
      }
    }
    return edits.length > 0 ? applyEdits(text, edits) : text;
  });
}

/**
 * The edit that removes [start, end) tidily: the spaces after it (or before it at the end of a
 * sentence), a comma or colon right after it, and the next letter capitalised when the phrase
 * began a sentence with a capital ("The image shows a dog." becomes "A dog.").
 */
export function removalEdit(text: string, start: number, end: number): TextEdit {
  let s = start;
  let e = end;
  while (e < text.length && /[,:;]/.test(text[e])) e++;
  const afterSpaces = e + (/^\s*/u.exec(text.slice(e))?.[0].length ?? 0);
  if (afterSpaces < text.length && !/[.!?,;:)]/.test(text[afterSpaces])) e = afterSpaces;
  else while (s > 0 && /\s/u.test(text[s - 1])) s--; // at the end of a sentence: the space before goes
  const beganSentence = /^\s*$|[.!?]\s*$/u.test(text.slice(0, s));
  const next = text[e];
  if (beganSentence && /\p{Lu}/u.test(text[start]) && next !== undefined && /\p{Ll}/u.test(next)) {
    return { start: s, end: e + 1, newText: next.toUpperCase() };
  }
  return { start: s, end: e, newText: '' };
}

