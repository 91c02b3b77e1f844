/** `imageCaptioner.lint.*` settings onto the engine's LintConfig, in one place (pure: the caller passes the reader). */
import { DEFAULT_LINT_CONFIG, lintConfig, LintConfig, RuleLevel } from '../core/lint/lintConfig';

/** The section every lint setting lives under. */
export const LINT_SECTION = 'imageCaptioner.lint';

const LEVELS: readonly RuleLevel[] = ['error', 'warning', 'information', 'hint', 'off'];

/** The rules with a level setting (`<rule>.level`): the per-caption rules, exact duplicates and the model-based rules. */
export const LEVEL_SETTINGS = ['empty', 'tokenBudget', 'bannedPhrases', 'trigger', 'artefacts', 'duplicates', 'nearDuplicateCaptions', 'nearDuplicateImages', 'lowClipScore', 'missingRequiredTag', 'bannedTag', 'tagOrder'] as const;

/** Where near-duplicate captions get their embeddings by default: the local sentence-embedding model (an Explore source id). */
export const DEFAULT_CAPTION_EMBEDDINGS = 'local:text';

/** A config and the settings that were ignored because their value has the wrong type (the message says which). */
export interface LintSettingsResult {
  readonly config: LintConfig;
  readonly problems: string[];
  /** The Explore source id near-duplicate captions embed with (`local:text`, `local:clip`, `hosted:<model id>`). */
  readonly captionEmbeddings: string;
}

/**
 * The lint config from settings read by `get(key)` (key relative to `imageCaptioner.lint`, undefined
 * when unset); a value of the wrong type is ignored, its default used, and named in `problems`.
 */
export function lintConfigFromSettings(get: (key: string) => unknown): LintSettingsResult {
  const problems: string[] = [];
  const read = <T>(key: string, valid: (v: unknown) => v is T, expected: string): T | undefined => {
    const value = get(key);
    if (value === undefined || value === null) return undefined;
    if (valid(value)) return value;
    problems.push(`${LINT_SECTION}.${key} should be ${expected}; the default is used.`);
    return undefined;
  };
  const isLevel = (v: unknown): v is RuleLevel => typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const level = (rule: (typeof LEVEL_SETTINGS)[number]): { level?: RuleLevel } => {
    const value = read(`${rule}.level`, isLevel, `one of ${LEVELS.join(', ')}`);
    return value === undefined ? {} : { level: value };
  };
  const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const phrases = read('bannedPhrases.phrases', isStrings, 'a list of strings');
  const number = (key: string, min: number, max: number, integer = false): number | undefined =>
    read(key, (v): v is number => typeof v === 'number' && v >= min && v <= max && (!integer || Number.isInteger(v)), `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  const config = lintConfig({
    empty: level('empty'),
    tokenBudget: level('tokenBudget'),
    // blank entries would match nothing useful: dropped rather than matched as empty words
    bannedPhrases: { ...level('bannedPhrases'), ...defined({ phrases: phrases?.map((p) => p.trim()).filter((p) => p !== '') }) },
    trigger: { ...level('trigger'), ...defined({ word: read('trigger.word', isString, 'a string')?.trim(), separator: read('trigger.separator', isString, 'a string') }) },
    artefacts: level('artefacts'),
    duplicates: level('duplicates'),
    nearDuplicateCaptions: { ...level('nearDuplicateCaptions'), ...defined({ minCosine: number('nearDuplicateCaptions.threshold', -1, 1) }) },
    nearDuplicateImages: { ...level('nearDuplicateImages'), ...defined({ maxHamming: number('nearDuplicateImages.maxDistance', 0, 64, true) }) },
    lowClipScore: { ...level('lowClipScore'), ...defined({ minScore: number('lowClipScore.threshold', 0, 100) }) },
    missingRequiredTag: level('missingRequiredTag'),
    bannedTag: level('bannedTag'),
    tagOrder: level('tagOrder'),
  });
  const embeddings = read('nearDuplicateCaptions.embeddings', isString, 'a string')?.trim();
  return { config, problems, captionEmbeddings: embeddings || DEFAULT_CAPTION_EMBEDDINGS };
}

/** The defaults package.json must declare for each setting (checked by a unit test against the manifest). */
export function lintSettingDefaults(): Record<string, unknown> {
  const d = DEFAULT_LINT_CONFIG;
  return {
    'empty.level': d.empty.level,
    'tokenBudget.level': d.tokenBudget.level,
    'bannedPhrases.level': d.bannedPhrases.level,
    'bannedPhrases.phrases': d.bannedPhrases.phrases,
    'trigger.level': d.trigger.level,
    'trigger.word': d.trigger.word,
    'trigger.separator': d.trigger.separator,
    'artefacts.level': d.artefacts.level,
    'duplicates.level': d.duplicates.level,
    'nearDuplicateCaptions.level': d.nearDuplicateCaptions.level,
    'nearDuplicateCaptions.threshold': d.nearDuplicateCaptions.minCosine,
    'nearDuplicateCaptions.embeddings': DEFAULT_CAPTION_EMBEDDINGS,
    'nearDuplicateImages.level': d.nearDuplicateImages.level,
    'nearDuplicateImages.maxDistance': d.nearDuplicateImages.maxHamming,
    'lowClipScore.level': d.lowClipScore.level,
    'lowClipScore.threshold': d.lowClipScore.minScore,
    'missingRequiredTag.level': d.missingRequiredTag.level,
    'bannedTag.level': d.bannedTag.level,
    'tagOrder.level': d.tagOrder.level,
  };
}
