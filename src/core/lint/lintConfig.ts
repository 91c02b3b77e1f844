import type { LintSeverity } from './lintTypes';

/** A rule's severity, or off. */
export type RuleLevel = LintSeverity | 'off';

/** Every lint option with its type; the settings layer maps `imageCaptioner.lint.*` onto this. */
export interface LintConfig {
  readonly empty: { readonly level: RuleLevel };
  readonly tokenBudget: { readonly level: RuleLevel; readonly maxTokens: number };
  readonly bannedPhrases: { readonly level: RuleLevel; readonly phrases: readonly string[] };
  /** Off while `word` is empty. */
  readonly trigger: { readonly level: RuleLevel; readonly word: string; readonly separator: string; readonly caseSensitive: boolean };
  readonly artefacts: { readonly level: RuleLevel };
  readonly duplicates: { readonly level: RuleLevel };
  /** Cosine similarity of caption embeddings at or above which two captions are near-duplicates. */
  readonly nearDuplicateCaptions: { readonly level: RuleLevel; readonly minCosine: number };
  /** Hamming distance between 64-bit dHashes at or below which two images are near-duplicates. */
  readonly nearDuplicateImages: { readonly level: RuleLevel; readonly maxHamming: number };
  /** CLIP score (100 x max(cosine, 0), the CLIP score view's scale) below which a caption is flagged. */
  readonly lowClipScore: { readonly level: RuleLevel; readonly minScore: number };
  /** Tag rules (`imageCaptioner.tagRules`): a required tag of the caption's folder missing, a banned tag, a tag out of rule order. */
  readonly missingRequiredTag: { readonly level: RuleLevel };
  readonly bannedTag: { readonly level: RuleLevel };
  readonly tagOrder: { readonly level: RuleLevel };
}

/** The defaults, in one place. */
export const DEFAULT_LINT_CONFIG: LintConfig = {
  empty: { level: 'error' },
  tokenBudget: { level: 'warning', maxTokens: 75 },
  bannedPhrases: {
    level: 'warning',
    phrases: ['the image shows', 'this image shows', 'the picture shows', 'in this image', 'in this picture', 'appears to be',
      'seems to be', "I'm sorry", 'I cannot', "I can't", 'as an AI'],
  },
  trigger: { level: 'warning', word: '', separator: ', ', caseSensitive: true },
  artefacts: { level: 'warning' },
  duplicates: { level: 'information' },
  nearDuplicateCaptions: { level: 'information', minCosine: 0.95 },
  nearDuplicateImages: { level: 'information', maxHamming: 4 },
  lowClipScore: { level: 'warning', minScore: 15 },
  missingRequiredTag: { level: 'warning' },
  bannedTag: { level: 'warning' },
  tagOrder: { level: 'information' },
};

/** `partial` over the defaults, one level deep (each rule's options replace field by field). */
export function lintConfig(partial: { readonly [K in keyof LintConfig]?: Partial<LintConfig[K]> } = {}): LintConfig {
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_LINT_CONFIG) as (keyof LintConfig)[]) {
    merged[key] = { ...DEFAULT_LINT_CONFIG[key], ...partial[key] };
  }
  return merged as unknown as LintConfig;
}
