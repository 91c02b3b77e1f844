import { lintCaptionText } from './captionRules';
import { exactDuplicateGroups } from './duplicates';
import { hammingNeighbours, pairGroups } from './hammingNeighbours';
import { DEFAULT_LINT_CONFIG, LintConfig } from './lintConfig';
import type { LintCaption, LintProblem, LintRuleId, LintSeverity } from './lintTypes';
import { nearDuplicateVectors } from './nearDuplicateVectors';
import type { TokenCounter } from './tokenBudget';

/** Model outputs for the model-based rules, index-aligned with the captions; a rule without its input does not run. */
export interface LintModelInputs {
  /** Caption embeddings (any length, compared by cosine). */
  readonly captionEmbeddings?: readonly ArrayLike<number>[];
  /** 64-bit perceptual hashes of the images (see `src/core/images/perceptualHash.ts`). */
  readonly imageHashes?: readonly (bigint | undefined)[];
  /** CLIP image-text cosine similarity per caption. */
  readonly clipScores?: readonly (number | undefined)[];
}

export interface LintSetOptions {
  readonly config?: LintConfig;
  readonly tokens?: TokenCounter;
  readonly models?: LintModelInputs;
}

/** Problems of a set of captions, index-aligned with the input. */
export interface LintSetResult {
  readonly problems: LintProblem[][];
  /** False when the near-duplicate caption search used buckets and could have missed a pair. */
  readonly nearDuplicateSearchExact: boolean;
}

/** Every rule over a set of captions: the per-caption rules, then those that compare captions or use model outputs. */
export function lintCaptions(captions: readonly LintCaption[], options: LintSetOptions = {}): LintSetResult {
  const config = options.config ?? DEFAULT_LINT_CONFIG;
  const context = { config, tokens: options.tokens };
  const problems = captions.map((c) => lintCaptionText(c.text, context));
  const others = (members: readonly number[], self: number): string => {
    const ids = members.filter((m) => m !== self).map((m) => captions[m].id);
    return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
  };
  const whole = (rule: LintRuleId, severity: LintSeverity, members: readonly number[], message: (self: number) => string): void => {
    for (const m of members) problems[m].push({ rule, severity, message: message(m), start: 0, end: captions[m].text.length });
  };
  if (config.duplicates.level !== 'off') {
    const severity = config.duplicates.level;
    for (const group of exactDuplicateGroups(captions.map((c) => c.text))) {
      whole('duplicate', severity, group.members, (m) => `Same caption as ${others(group.members, m)}.`);
    }
  }
  let nearDuplicateSearchExact = true;
  const { captionEmbeddings, imageHashes, clipScores } = options.models ?? {};
  if (captionEmbeddings && config.nearDuplicateCaptions.level !== 'off') {
    const severity = config.nearDuplicateCaptions.level;
    const found = nearDuplicateVectors(captionEmbeddings, { minCosine: config.nearDuplicateCaptions.minCosine });
    nearDuplicateSearchExact = found.exact;
    for (const group of pairGroups(found.pairs)) {
      whole('near-duplicate-caption', severity, group, (m) => `Caption nearly the same in meaning as ${others(group, m)}.`);
    }
  }
  if (imageHashes && config.nearDuplicateImages.level !== 'off') {
    const severity = config.nearDuplicateImages.level;
    const indexes: number[] = [];
    const hashes: bigint[] = [];
    imageHashes.forEach((h, k) => {
      if (h !== undefined) {
        indexes.push(k);
        hashes.push(h);
      }
    });
    for (const group of pairGroups(hammingNeighbours(hashes, config.nearDuplicateImages.maxHamming))) {
      const members = group.map((g) => indexes[g]);
      whole('near-duplicate-image', severity, members, (m) => `Image nearly the same as the images of ${others(members, m)}.`);
    }
  }
  if (clipScores && config.lowClipScore.level !== 'off') {
    const { level, minScore } = config.lowClipScore;
    clipScores.forEach((score, k) => {
      if (score !== undefined && score < minScore && captions[k].text.trim() !== '') {
        whole('low-clip-score', level, [k], () => `CLIP score ${score.toFixed(3)} is below ${minScore}: the caption may not describe the image.`);
      }
    });
  }
  return { problems, nearDuplicateSearchExact };
}
