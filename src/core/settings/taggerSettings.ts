/**
 * `imageCaptioner.tagger.*`, read for both front ends (the extension from VS Code's configuration, the
 * CLI from its config file and flags). The defaults live here; a value that cannot be used keeps its
 * default and is named in `problems`, so a typo never silently tags with other thresholds.
 */
import { DEFAULT_TAG_OPTIONS, type TagOptions } from '../tagging/tagSelection';
import { layered, settingsFromMap, type SettingsSource } from './settingsSource';

/** The catalogue's tagger used when the setting names none. */
export const DEFAULT_TAGGER_MODEL = 'local/wd-vit-tagger-v3';

/** How images are tagged, as the user's settings say. */
export interface TaggerSettings {
  readonly options: TagOptions;
  /** The model id (catalogue or `imageCaptioner.models`) that tags. */
  readonly model: string;
  /** Images in one worker request. */
  readonly batchSize: number;
  /** One line per ignored value, naming the setting and the value used instead. */
  readonly problems: readonly string[];
}

/** The defaults of every key read here, by key (without the `imageCaptioner.` prefix). */
export const TAGGER_DEFAULTS = {
  'tagger.model': DEFAULT_TAGGER_MODEL,
  'tagger.generalThreshold': DEFAULT_TAG_OPTIONS.generalThreshold,
  'tagger.characterThreshold': DEFAULT_TAG_OPTIONS.characterThreshold,
  'tagger.mcut': DEFAULT_TAG_OPTIONS.mcut,
  'tagger.includeRating': DEFAULT_TAG_OPTIONS.includeRating,
  'tagger.maxTags': DEFAULT_TAG_OPTIONS.maxTags,
  'tagger.underscoresToSpaces': DEFAULT_TAG_OPTIONS.underscoresToSpaces,
  'tagger.escapeParentheses': DEFAULT_TAG_OPTIONS.escapeParentheses,
  'tagger.exclude': DEFAULT_TAG_OPTIONS.exclude,
  'tagger.triggerWord': DEFAULT_TAG_OPTIONS.triggerWord,
  'tagger.batchSize': 8,
} as const;

/** Largest batch one worker request takes: 448×448×3 float32 is 2.4 MB an image before the model's own memory. */
export const MAX_TAGGER_BATCH = 64;

export function taggerSettingsFrom(source: SettingsSource): TaggerSettings {
  const d = TAGGER_DEFAULTS;
  const problems: string[] = [];
  const read = <T>(key: keyof typeof TAGGER_DEFAULTS, check: (value: unknown) => string | undefined, fallback: T): T => {
    const value = source.get(key);
    if (value === undefined || value === null) return fallback;
    const problem = check(value);
    if (!problem) return value as T;
    problems.push(`imageCaptioner.${key} ${JSON.stringify(value)} ${problem}; ${JSON.stringify(fallback)} is used.`);
    return fallback;
  };
  const score = (value: unknown): string | undefined => (typeof value === 'number' && value >= 0 && value <= 1 ? undefined : 'must be a number from 0 to 1');
  const flag = (value: unknown): string | undefined => (typeof value === 'boolean' ? undefined : 'must be true or false');
  const count = (min: number, max: number) => (value: unknown): string | undefined => (Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? undefined : `must be a whole number from ${min} to ${max}`);
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? undefined : 'must be text');
  const exclude = read<readonly string[]>('tagger.exclude', (v) => (Array.isArray(v) && v.every((t) => typeof t === 'string') ? undefined : 'must be a list of tags'), d['tagger.exclude']);
  const batchSize = read<number>('tagger.batchSize', count(1, MAX_TAGGER_BATCH), d['tagger.batchSize']);
  const model = read<string>('tagger.model', (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'must name a tagger model'), d['tagger.model']).trim();
  return {
    options: {
      generalThreshold: read('tagger.generalThreshold', score, d['tagger.generalThreshold']),
      characterThreshold: read('tagger.characterThreshold', score, d['tagger.characterThreshold']),
      mcut: read('tagger.mcut', flag, d['tagger.mcut']),
      includeRating: read('tagger.includeRating', flag, d['tagger.includeRating']),
      maxTags: read('tagger.maxTags', count(0, 10_000), d['tagger.maxTags']),
      underscoresToSpaces: read('tagger.underscoresToSpaces', flag, d['tagger.underscoresToSpaces']),
      escapeParentheses: read('tagger.escapeParentheses', flag, d['tagger.escapeParentheses']),
      exclude: exclude.map((t) => t.trim()).filter(Boolean),
      triggerWord: read<string>('tagger.triggerWord', text, d['tagger.triggerWord']).trim(),
    },
    model,
    batchSize,
    problems,
  };
}

/** What a tag job's journal keeps of its options, so Resume and Retry tag as its first run did. */
export interface TagJobContext {
  readonly tagOptions?: TagOptions;
  readonly tagBatchSize?: number;
}

/**
 * The options a tag job runs with: those its journal kept, checked like settings (a journal is a file
 * on disk); the current settings for what the journal lacks or holds wrongly.
 */
export function tagJobOf(context: unknown, current: Pick<TaggerSettings, 'options' | 'batchSize'>): { readonly options: TagOptions; readonly batchSize: number } {
  const kept = (context ?? {}) as TagJobContext;
  const options = kept.tagOptions;
  if (!options || typeof options !== 'object') return { options: current.options, batchSize: current.batchSize };
  const asSettings = Object.fromEntries(Object.entries({ ...current.options, ...options }).map(([key, value]) => [`tagger.${key}`, value]));
  const checked = taggerSettingsFrom(layered(settingsFromMap({ ...asSettings, 'tagger.batchSize': kept.tagBatchSize }), settingsFromMap({ 'tagger.batchSize': current.batchSize })));
  return { options: checked.options, batchSize: checked.batchSize };
}
