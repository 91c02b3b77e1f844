/** `imageCaptioner.evaluate.*` settings, read and checked in one place (pure: the caller passes the reader). */
import { DEFAULT_REFERENCE_EXTENSION, referenceSuffixProblem } from '../core/evaluation/references';
import { DEFAULT_GENDER_WORDS, type GenderWordLists } from '../core/metrics/genderBias';

/** The section every evaluation setting lives under. */
export const EVALUATE_SECTION = 'imageCaptioner.evaluate';

export interface EvaluationSettings {
  readonly referenceExtension: string;
  readonly genderWords: GenderWordLists;
  readonly clipScore: boolean;
}

/** The settings and what was ignored (wrong type, a reference suffix that cannot be used), each naming the setting. */
export interface EvaluationSettingsResult {
  readonly settings: EvaluationSettings;
  readonly problems: string[];
}

/**
 * Reads the settings through `get(key)` (relative to `imageCaptioner.evaluate`, undefined when unset);
 * a value that cannot be used keeps its default and is named in `problems`.
 */
export function evaluationSettingsFrom(get: (key: string) => unknown, captionExtension: string, imageExtensions: ReadonlySet<string>): EvaluationSettingsResult {
  const problems: string[] = [];
  let referenceExtension = DEFAULT_REFERENCE_EXTENSION;
  const extension = get('referenceExtension');
  if (extension !== undefined) {
    const problem = typeof extension === 'string' ? referenceSuffixProblem(extension.trim(), captionExtension, imageExtensions) : 'it is not a string';
    if (problem) problems.push(`${EVALUATE_SECTION}.referenceExtension ${JSON.stringify(extension)} cannot be used: ${problem}; ${DEFAULT_REFERENCE_EXTENSION} is used.`);
    else referenceExtension = (extension as string).trim();
  }
  const words = get('genderWords');
  const lists: { -readonly [K in keyof GenderWordLists]: readonly string[] } = { ...DEFAULT_GENDER_WORDS };
  if (words !== undefined && (typeof words !== 'object' || words === null || Array.isArray(words))) {
    problems.push(`${EVALUATE_SECTION}.genderWords should be an object with male, female and neutral lists; the defaults are used.`);
  } else if (words) {
    for (const key of ['male', 'female', 'neutral'] as const) {
      const list = (words as Record<string, unknown>)[key];
      if (list === undefined) continue;
      if (Array.isArray(list) && list.every((w) => typeof w === 'string')) lists[key] = list.map((w: string) => w.trim().toLowerCase()).filter(Boolean);
      else problems.push(`${EVALUATE_SECTION}.genderWords.${key} should be a list of words; the default list is used.`);
    }
  }
  const clip = get('clipScore');
  if (clip !== undefined && typeof clip !== 'boolean') problems.push(`${EVALUATE_SECTION}.clipScore should be true or false; true is used.`);
  return { settings: { referenceExtension, genderWords: lists, clipScore: clip !== false }, problems };
}
