/**
 * The model-based lint rules over a linted set: near-duplicate captions (embeddings from the
 * configured source, searched in the lint thread), near-duplicate images (dHash, searched in the
 * lint thread) and very low CLIP scores (the CLIP score view's path, cached embeddings). Each rule
 * runs only when it is on and can run here; otherwise, or when it fails, a note says why. No vscode.
 */
import type { LintConfig } from '../core/lint/lintConfig';
import { groupProblems, lowClipScoreProblem, type GroupRule } from '../core/lint/lintCaptions';
import type { LintProblem } from '../core/lint/lintTypes';
import { pairGroups, type IndexPair } from '../core/lint/hammingNeighbours';
import type { ImageHash } from '../core/lint/imageHashes';
import type { LintSearchRunner } from '../core/lint/lintSearchRunner';

/** One linted caption as the model rules see it. */
export interface LintModelItem {
  readonly imagePath: string;
  readonly text: string;
}

export interface LintModelDeps {
  readonly search: LintSearchRunner;
  /** Why captions cannot be embedded from `source` now (untrusted, no model here, no key), or undefined. */
  readonly captionVectorsProblem: (source: string) => string | undefined;
  /** Row-major caption embeddings from `source`; failed rows are zeros (never near anything) and listed. */
  readonly captionVectors: (source: string, texts: readonly string[], signal?: AbortSignal) => Promise<{ readonly dims: number; readonly data: Float32Array; readonly failed: ReadonlyArray<{ readonly index: number; readonly error: string }> }>;
  /** Why CLIP scores cannot be computed now, or undefined. */
  readonly clipScoreProblem: () => string | undefined;
  /** CLIP scores (100 x cosine) of the items' image/caption pairs; a string says why one has none. */
  readonly clipScores: (items: readonly LintModelItem[], signal?: AbortSignal) => Promise<ReadonlyArray<number | string>>;
  readonly imageHashes: (paths: readonly string[], signal?: AbortSignal) => Promise<ImageHash[]>;
}

export interface ModelRuleResult {
  /** Index-aligned with the items. */
  readonly problems: LintProblem[][];
  /** One line per model rule that is on: what it found, or why it was skipped or failed. */
  readonly notes: string[];
}

const RULE_NAMES = { nearDuplicateCaptions: 'Near-duplicate captions', nearDuplicateImages: 'Near-duplicate images', lowClipScore: 'Low CLIP score' } as const;

/**
 * Runs every model rule that is on over `items`; a rule that cannot run or fails leaves a note and the
 * others go on. `idOf` names an item in other members' messages (its relative caption path), asked
 * only for members of groups (100,000 relative paths up front held the host for ~0.5 s).
 */
export async function runModelRules(items: readonly LintModelItem[], idOf: (index: number) => string, config: LintConfig, captionSource: string, deps: LintModelDeps, signal?: AbortSignal): Promise<ModelRuleResult> {
  const problems: LintProblem[][] = items.map(() => []);
  const notes: string[] = [];
  const texts = items.map((item) => item.text);
  const addGroups = (rule: GroupRule, severity: Exclude<LintConfig['duplicates']['level'], 'off'>, pairs: readonly IndexPair[]): number => {
    const groups = pairGroups(pairs);
    groupProblems(rule, severity, idOf, texts, groups).forEach((problem, m) => problems[m].push(problem));
    return groups.length;
  };
  const attempt = async (rule: keyof typeof RULE_NAMES, problem: string | undefined, work: () => Promise<string>): Promise<void> => {
    if (config[rule].level === 'off') return;
    if (problem) return void notes.push(`${RULE_NAMES[rule]}: skipped, ${problem}.`);
    try {
      notes.push(`${RULE_NAMES[rule]}: ${await work()}`);
    } catch (err) {
      if (signal?.aborted) throw err;
      notes.push(`${RULE_NAMES[rule]}: failed, ${(err as Error).message}`);
    }
  };
  const failures = (failed: ReadonlyArray<{ readonly error: string }>, what: string): string =>
    failed.length === 0 ? '' : ` ${failed.length} ${what} had none (first: ${failed[0].error}).`;

  await attempt('nearDuplicateImages', undefined, async () => {
    const hashes = await deps.imageHashes(items.map((item) => item.imagePath), signal);
    const at: number[] = [];
    const values: bigint[] = [];
    hashes.forEach((h, k) => h.ok && (at.push(k), values.push(h.hash)));
    const pairs = await deps.search.hammingNeighbours(BigUint64Array.from(values), config.nearDuplicateImages.maxHamming, signal);
    const groups = addGroups('near-duplicate-image', config.nearDuplicateImages.level as Exclude<typeof config.nearDuplicateImages.level, 'off'>, pairs.map((p) => ({ i: at[p.i], j: at[p.j] })));
    return `${groups} group(s) of images within ${config.nearDuplicateImages.maxHamming} bits.${failures(hashes.filter((h): h is Extract<ImageHash, { ok: false }> => !h.ok), 'image(s)')}`;
  });

  await attempt('nearDuplicateCaptions', deps.captionVectorsProblem(captionSource), async () => {
    const blank = texts.map((t) => t.trim() === '');
    const vectors = await deps.captionVectors(captionSource, texts.map((t, k) => (blank[k] ? '' : t)), signal);
    if (vectors.dims === 0) return `no caption could be embedded with ${captionSource}.${failures(vectors.failed, 'caption(s)')}`;
    // blank captions are the empty rule's: their rows are zeroed so they match nothing
    const data = vectors.data;
    blank.forEach((b, k) => b && data.fill(0, k * vectors.dims, (k + 1) * vectors.dims));
    const found = await deps.search.nearDuplicateVectors(data, vectors.dims, config.nearDuplicateCaptions.minCosine, signal);
    const groups = addGroups('near-duplicate-caption', config.nearDuplicateCaptions.level as Exclude<typeof config.nearDuplicateCaptions.level, 'off'>, found.pairs);
    const approximate = found.exact ? '' : ' (searched in buckets: a pair can be missed)';
    return `${groups} group(s) at cosine ≥ ${config.nearDuplicateCaptions.minCosine} with ${captionSource}${approximate}.${failures(vectors.failed, 'caption(s)')}`;
  });

  await attempt('lowClipScore', deps.clipScoreProblem(), async () => {
    const scores = await deps.clipScores(items, signal);
    let flagged = 0;
    const unscored: { error: string }[] = [];
    scores.forEach((score, k) => {
      if (typeof score === 'string') return void (texts[k].trim() !== '' && unscored.push({ error: score }));
      const problem = lowClipScoreProblem(texts[k], score, config.lowClipScore);
      if (problem) problems[k].push(problem), flagged++;
    });
    return `${flagged} caption(s) below ${config.lowClipScore.minScore}.${failures(unscored, 'caption(s)')}`;
  });
  return { problems, notes };
}
