import { removalEdit, Report } from './textEdits';

const LABEL = /^(\s*)(?:\*\*|__)?(?:caption|description|alt text|answer)(?:\*\*|__)?\s*:(?:\*\*|__)?[ \t]*/iu;
const REASONING = /<(think|thinking|reasoning|reflection)>[\s\S]*?<\/\1>\s*/giu;
const LONE_TAG = /<\/?(?:think|thinking|reasoning|reflection)>/giu;
const HEADING = /^[ \t]{0,3}#{1,6}[ \t]+/gmu;
const BULLET = /^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+/gmu;
const STRONG = /(\*\*|__)(?=\S)([^\n]*?\S)\1/gu;
const EMPHASIS = /(?<![\p{L}\p{N}*_])([*_])(?=[^\s*_])([^\n*_]*?[^\s*_])\1(?![\p{L}\p{N}*_])/gu;
const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '\u201c': '\u201d' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{', '\u201d': '\u201c' };

/**
 * Leftovers of a chat model's answer: a leading "Caption:" label, reasoning blocks such as
 * <think>…</think>, markdown headings, bullets and emphasis, and unmatched brackets or quotes.
 */
export function artefactProblems(text: string, report: Report): void {
  const label = LABEL.exec(text);
  if (label) {
    const start = label[1].length;
    report(start, label[0].length, `Model label "${label[0].trim()}" before the caption.`, {
      title: 'Remove the label', edits: [{ start, end: label[0].length, newText: '' }],
    });
  }
  let blocks = false;
  for (const m of text.matchAll(REASONING)) {
    blocks = true;
    report(m.index, m.index + m[0].length, `Reasoning block <${m[1]}> left in the caption.`, {
      title: 'Remove the reasoning block', edits: [removalEdit(text, m.index, m.index + m[0].length)],
    });
  }
  if (!blocks) for (const m of text.matchAll(LONE_TAG)) report(m.index, m.index + m[0].length, `Unmatched reasoning tag ${m[0]}.`);
  for (const m of text.matchAll(HEADING)) {
    report(m.index, m.index + m[0].length, 'Markdown heading marker.', { title: 'Remove the heading marker', edits: [{ start: m.index, end: m.index + m[0].length, newText: '' }] });
  }
  for (const m of text.matchAll(BULLET)) {
    report(m.index, m.index + m[0].length, 'Markdown list marker.', { title: 'Remove the list marker', edits: [{ start: m.index, end: m.index + m[0].length, newText: '' }] });
  }
  // Emphasis inside the label ("**Caption:**") goes with the label's fix.
  const strongRanges: [number, number][] = label ? [[0, label[0].length]] : [];
  for (const m of text.matchAll(STRONG)) {
    if (strongRanges.some(([s, e]) => m.index < e && s < m.index + m[0].length)) continue;
    strongRanges.push([m.index, m.index + m[0].length]);
    report(m.index, m.index + m[0].length, 'Markdown emphasis.', { title: 'Remove the emphasis', edits: [{ start: m.index, end: m.index + m[0].length, newText: m[2] }] });
  }
  for (const m of text.matchAll(EMPHASIS)) {
    if (strongRanges.some(([s, e]) => m.index < e && s < m.index + m[0].length)) continue;
    report(m.index, m.index + m[0].length, 'Markdown emphasis.', { title: 'Remove the emphasis', edits: [{ start: m.index, end: m.index + m[0].length, newText: m[2] }] });
  }
  unmatched(text, report);
}

/** Brackets and double quotes that do not pair up; straight single quotes are apostrophes, so not checked. */
function unmatched(text: string, report: Report): void {
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (PAIRS[c] !== undefined) stack.push(i);
    else if (CLOSERS[c] !== undefined) {
      if (stack.length > 0 && text[stack[stack.length - 1]] === CLOSERS[c]) stack.pop();
      else report(i, i + 1, `Unmatched ${c}.`);
    }
  }
  for (const i of stack) report(i, i + 1, `Unmatched ${text[i]}.`);
  let lastQuote = -1;
  let quotes = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) {
    quotes++;
    lastQuote = i;
  }
  if (quotes % 2 === 1) report(lastQuote, lastQuote + 1, 'Unmatched ".');
}
