/** The lint engine's vocabulary: problems, edits and severities, shared by every rule. */

/** VS Code's four levels, named without importing it; `off` disables a rule. */
export type LintSeverity = 'error' | 'warning' | 'information' | 'hint';

export type LintRuleId =
  | 'empty'
  | 'token-budget'
  | 'banned-phrase'
  | 'missing-trigger'
  | 'model-artefact'
  | 'duplicate'
  | 'near-duplicate-caption'
  | 'near-duplicate-image'
  | 'low-clip-score'
  | 'missing-required-tag'
  | 'banned-tag'
  | 'tag-order';

/** Replace the UTF-16 range [start, end) of the caption with `newText`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** A fix that is one undo step: its edits never overlap. */
export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** One problem in one caption; `message` is plain text (caption text inside it is never markup). */
export interface LintProblem {
  readonly rule: LintRuleId;
  readonly severity: LintSeverity;
  readonly message: string;
  /** UTF-16 range [start, end) in the caption's text. */
  readonly start: number;
  readonly end: number;
  readonly fix?: QuickFix;
}

/** A caption to lint: `id` is what the caller uses to find it again (a caption path). */
export interface LintCaption {
  readonly id: string;
  readonly text: string;
}
