import { lintCaptionText } from './captionRules';
import { exactDuplicateGroups } from './duplicates';
import { hammingNeighbours, pairGroups } from './hammingNeighbours';
import { DEFAULT_LINT_CONFIG, LintConfig } from './lintConfig';
import type { LintCaption, LintProblem, LintSeverity } from './lintTypes';
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

/** "a, b, c and N more": the other members of a group (`self` is one of `members`), by id, for a member's message; O(1) per member. */
export function otherMembers(idOf: (index: number) => string, members: readonly number[], self: number): string {
  const shown: string[] = [];
  for (let k = 0; k < members.length && shown.length < 4; k++) if (members[k] !== self) shown.push(idOf(members[k]));
  const others = members.length - 1;
  return others <= 3 ? shown.join(', ') : `${shown.slice(0, 3).join(', ')} and ${others - 3} more`;
}

/** What a member of a group of each set rule is told, naming the other members. */
const GROUP_MESSAGES = {
  duplicate: (others: string) => `Same caption as ${others}.`,
  'near-duplicate-caption': (others: string) => `Caption nearly the same in meaning as ${others}.`,
  'near-duplicate-image': (others: string) => `Image nearly the same as the images of ${others}.`,
} as const;

/** A rule that groups captions. */
export type GroupRule = keyof typeof GROUP_MESSAGES;

/**
 * The problem of each member of each group (indexes of captions named by `idOf`, whose texts are
 * `texts`): the whole caption, naming the other members. Returned by member index.
 */
export function groupProblems(rule: GroupRule, severity: LintSeverity, idOf: (index: number) => string, texts: readonly string[], groups: readonly (readonly number[])[]): Map<number, LintProblem> {
  const out = new Map<number, LintProblem>();
  for (const members of groups) {
    for (const m of members) out.set(m, { rule, severity, message: GROUP_MESSAGES[rule](otherMembers(idOf, members, m)), start: 0, end: texts[m].length });
  }
  return out;
}

/** The low CLIP score problem of a caption, or undefined when its score is at or above `minScore` (or it is blank or unscored). */
export function lowClipScoreProblem(text: string, score: number | undefined, config: LintConfig['lowClipScore']): LintProblem | undefined {
  if (config.level === 'off' || score === undefined || score >= config.minScore || text.trim() === '') return undefined;
  return {
    rule: 'low-clip-score',
    severity: config.level,
    message: `CLIP score ${score.toFixed(1)} is below ${config.minScore}: the caption may not describe the image.`,
    start: 0,
    end: text.length,
  };
}

/** The near-duplicate image groups among hashes (undefined: no hash), as indexes into `imageHashes`. */
export function nearDuplicateImageGroups(imageHashes: readonly (bigint | undefined)[], maxHamming: number): number[][] {
  const indexes: number[] = [];
  const hashes: bigint[] = [];
  imageHashes.forEach((h, k) => {
    if (h !== undefined) {
      indexes.push(k);
      hashes.push(h);
    }
  });
  return pairGroups(hammingNeighbours(hashes, maxHamming)).map((group) => group.map((g) => indexes[g]));
}

/** Every rule over a set of captions: the per-caption rules, then those that compare captions or use model outputs. */
export function lintCaptions(captions: readonly LintCaption[], options: LintSetOptions = {}): LintSetResult {
  const config = options.config ?? DEFAULT_LINT_CONFIG;
  const context = { config, tokens: options.tokens };
  const problems = captions.map((c) => lintCaptionText(c.text, context));
  const ids = (k: number): string => captions[k].id;
  const texts = captions.map((c) => c.text);
  const add = (found: Map<number, LintProblem>): void => found.forEach((problem, m) => problems[m].push(problem));
  if (config.duplicates.level !== 'off') {
    add(groupProblems('duplicate', config.duplicates.level, ids, texts, exactDuplicateGroups(texts).map((g) => g.members)));
  }
  let nearDuplicateSearchExact = true;
  const { captionEmbeddings, imageHashes, clipScores } = options.models ?? {};
  if (captionEmbeddings && config.nearDuplicateCaptions.level !== 'off') {
    const found = nearDuplicateVectors(captionEmbeddings, { minCosine: config.nearDuplicateCaptions.minCosine });
    nearDuplicateSearchExact = found.exact;
    add(groupProblems('near-duplicate-caption', config.nearDuplicateCaptions.level, ids, texts, pairGroups(found.pairs)));
  }
  if (imageHashes && config.nearDuplicateImages.level !== 'off') {
    add(groupProblems('near-duplicate-image', config.nearDuplicateImages.level, ids, texts, nearDuplicateImageGroups(imageHashes, config.nearDuplicateImages.maxHamming)));
  }
  if (clipScores) {
    clipScores.forEach((score, k) => {
      const problem = lowClipScoreProblem(texts[k], score, config.lowClipScore);
      if (problem) problems[k].push(problem);
    });
  }
  return { problems, nearDuplicateSearchExact };
}
