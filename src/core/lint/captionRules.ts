import type { LintConfig, RuleLevel } from './lintConfig';
import type { LintProblem, LintRuleId, LintSeverity } from './lintTypes';
import { removalEdit, Report } from './textEdits';
import { artefactProblems } from './artefacts';
import { budgetCut, ESTIMATED_TOKENS, TokenCounter } from './tokenBudget';
import type { CompiledTagRules } from '../tagging/tagRules';
import { checkTagRules, TagRuleKind } from '../tagging/tagRuleCheck';

/** What the per-caption rules need besides the config. */
export interface CaptionRuleContext {
  readonly config: LintConfig;
  /** CLIP's tokenizer when the local model has one; the estimate otherwise. */
  readonly tokens?: TokenCounter;
  /** The tag rules and the caption's dataset-relative folder ('' the root); without them the tag rules do not run. */
  readonly tagRules?: { readonly rules: CompiledTagRules; readonly folder: string };
}

function reporter(out: LintProblem[], rule: LintRuleId, severity: LintSeverity): Report {
  return (start, end, message, fix) => out.push(fix ? { rule, severity, message, start, end, fix } : { rule, severity, message, start, end });
}

const on = (level: RuleLevel): level is LintSeverity => level !== 'off';

/**
 * Every rule that looks at one caption alone: empty, token budget, banned phrases, missing trigger
 * word, model artefacts. An empty caption gets only the empty problem (the rest would be noise).
 */
export function lintCaptionText(text: string, context: CaptionRuleContext): LintProblem[] {
  const { config } = context;
  const out: LintProblem[] = [];
  if (text.trim() === '') {
    if (on(config.empty.level)) reporter(out, 'empty', config.empty.level)(0, text.length, text === '' ? 'Empty caption.' : 'Caption is only whitespace.');
    return out;
  }
  if (on(config.tokenBudget.level)) tokenBudget(text, context, reporter(out, 'token-budget', config.tokenBudget.level));
  if (on(config.bannedPhrases.level)) bannedPhrases(text, config.bannedPhrases.phrases, reporter(out, 'banned-phrase', config.bannedPhrases.level));
  if (on(config.trigger.level) && config.trigger.word.trim() !== '') missingTrigger(text, config.trigger, reporter(out, 'missing-trigger', config.trigger.level));
  if (on(config.artefacts.level)) artefactProblems(text, reporter(out, 'model-artefact', config.artefacts.level));
  if (context.tagRules) tagRuleProblems(text, context.tagRules.rules, context.tagRules.folder, config, out);
  return out;
}

const TAG_RULE_LEVELS: Record<TagRuleKind, (config: LintConfig) => RuleLevel> = {
  'missing-required-tag': (c) => c.missingRequiredTag.level,
  'banned-tag': (c) => c.bannedTag.level,
  'tag-order': (c) => c.tagOrder.level,
};

function tagRuleProblems(text: string, rules: CompiledTagRules, folder: string, config: LintConfig, out: LintProblem[]): void {
  if (rules.isEmpty || !Object.values(TAG_RULE_LEVELS).some((level) => on(level(config)))) return;
  for (const problem of checkTagRules(text, rules, folder)) {
    const level = TAG_RULE_LEVELS[problem.kind](config);
    if (on(level)) out.push({ rule: problem.kind, severity: level, message: problem.message, start: problem.start, end: problem.end, fix: problem.fix });
  }
}

function tokenBudget(text: string, context: CaptionRuleContext, report: Report): void {
  const counter = context.tokens ?? ESTIMATED_TOKENS;
  const max = context.config.tokenBudget.maxTokens;
  const count = counter.count(text);
  if (count <= max) return;
  const cut = counter.cut ? counter.cut(text, max) : budgetCut(text, max, counter);
  const what = counter.exact ? 'CLIP tokens' : 'CLIP tokens (estimated)';
  const message = `Caption has ${count} ${what}; CLIP reads only the first ${max}.`;
  // The range is what CLIP never sees; the fix drops it (with the separator before it).
  report(cut, text.length, message, cut > 0 ? { title: `Trim to ${max} tokens at a word boundary`, edits: [{ start: cut, end: text.length, newText: '' }] } : undefined);
}

const WORD = '[\\p{L}\\p{N}_]';

/** One pattern for all phrases, longest first so "in this image" wins over a shorter overlapping one. */
const bannedPatterns = new Map<string, RegExp>();
function bannedPattern(phrases: readonly string[]): RegExp | undefined {
  const key = phrases.join('\u0000');
  let pattern = bannedPatterns.get(key);
  if (!pattern) {
    const alternatives = phrases
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .sort((a, b) => b.length - a.length)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['\u2019]").replace(/\s+/g, '\\s+'));
    if (alternatives.length === 0) return undefined;
    pattern = new RegExp(`(?<!${WORD})(?:${alternatives.join('|')})(?!${WORD})`, 'giu');
    bannedPatterns.set(key, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

function bannedPhrases(text: string, phrases: readonly string[], report: Report): void {
  const pattern = bannedPattern(phrases);
  if (!pattern) return;
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    report(start, end, `Banned phrase "${match[0]}".`, { title: `Remove "${match[0]}"`, edits: [removalEdit(text, start, end)] });
  }
}

function missingTrigger(text: string, trigger: LintConfig['trigger'], report: Report): void {
  const word = trigger.word.trim();
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`(?<!${WORD})${escaped}(?!${WORD})`, trigger.caseSensitive ? 'u' : 'iu').test(text)) return;
  const lead = /^\s*/u.exec(text)![0].length;
  const firstWordEnd = lead + (/^\S*/u.exec(text.slice(lead))?.[0].length ?? 0);
  report(lead, firstWordEnd, `Caption lacks the trigger word "${word}".`, {
    title: `Add "${word}" at the start`,
    edits: [{ start: lead, end: lead, newText: word + trigger.separator }],
  });
}
