/** From a WD tagger's scores to the tags written into a caption, with the options taggui and kohya's script offer. */
import { tagKey, tagMatcher, withoutDuplicates } from '../edits/tagList';
import type { TaggerLabel } from './selectedTags';

export interface TagOptions {
  /** Lowest score a general tag needs (default 0.35). */
  readonly generalThreshold: number;
  /** Lowest score a character tag needs (default 0.85). */
  readonly characterThreshold: number;
  /** Per image, a threshold at the largest gap between sorted scores (Maximum Cut) instead of the fixed ones. */
  readonly mcut: boolean;
  /** Adds the most likely rating tag (general, sensitive, questionable, explicit) after the trigger word. */
  readonly includeRating: boolean;
  /** Most character + general tags kept (0: no limit). */
  readonly maxTags: number;
  /** `long_hair` → `long hair`, except kaomoji (`^_^`, `o_o`) and tags of 3 characters or fewer. */
  readonly underscoresToSpaces: boolean;
  /** `(` → `\(` and `)` → `\)`, as prompt syntax (A1111, ComfyUI) needs. */
  readonly escapeParentheses: boolean;
  /** Tags never written, as the model names them or as written; `*` matches any characters. */
  readonly exclude: readonly string[];
  /** Written first in every caption (a LoRA's trigger word), once. */
  readonly triggerWord: string;
}

export const DEFAULT_TAG_OPTIONS: TagOptions = {
  generalThreshold: 0.35,
  characterThreshold: 0.85,
  mcut: false,
  includeRating: false,
  maxTags: 0,
  underscoresToSpaces: true,
  escapeParentheses: true,
  exclude: [],
  triggerWord: '',
};

/** A tag the model found, as it will be written, with its score. */
export interface ScoredTag {
  readonly tag: string;
  readonly score: number;
  readonly category: TaggerLabel['category'];
}

/** SmilingWolf's list of kaomoji tags, whose underscores are eyes and mouths, not spaces. */
const KAOMOJI = new Set(['0_0', '(o)_(o)', '+_+', '+_-', '._.', '<o>_<o>', '<|>_<|>', '=_=', '>_<', '3_3', '6_9', '>_o', '@_@', '^_^', 'o_o', 'u_u', 'x_x', '|_|', '||_||']);

/**
 * The tags of one image, in the order written: trigger word, rating, then character and general
 * tags, each by score (highest first; ties by name so the output never depends on sort stability).
 */
export function selectTags(scores: ArrayLike<number>, labels: ReadonlyArray<TaggerLabel | undefined>, options: TagOptions = DEFAULT_TAG_OPTIONS): ScoredTag[] {
  const byCategory = { general: [] as ScoredTag[], character: [] as ScoredTag[], rating: [] as ScoredTag[] };
  const count = Math.min(scores.length, labels.length);
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    if (label && Number.isFinite(scores[i])) byCategory[label.category].push({ tag: label.name, score: scores[i], category: label.category });
  }
  const general = options.mcut ? mcutThreshold(byCategory.general.map((t) => t.score)) : options.generalThreshold;
  // as SmilingWolf's demo: MCut among character scores, but never below 0.15
  const character = options.mcut ? Math.max(0.15, mcutThreshold(byCategory.character.map((t) => t.score))) : options.characterThreshold;
  const patterns = options.exclude.map((p) => p.trim()).filter(Boolean);
  const excluded = patterns.length ? tagMatcher(patterns) : () => false;
  // an exclude entry may name the tag as the model does (long_hair), with spaces (long hair) or as written
  const keep = (list: ScoredTag[], threshold: number): ScoredTag[] =>
    list
      .filter((t) => t.score >= threshold)
      .map((t) => ({ ...t, written: writtenTag(t.tag, options) }))
      .filter((t) => !excluded(t.tag) && !excluded(t.written) && !excluded(t.tag.replace(/_/g, ' ')))
      .map(({ written, ...t }) => ({ ...t, tag: written }))
      .sort(byScore);
  let found = [...keep(byCategory.character, character), ...keep(byCategory.general, general)];
  if (options.maxTags > 0) found = found.slice(0, options.maxTags);
  const out: ScoredTag[] = [];
  const trigger = options.triggerWord.trim();
  if (trigger) out.push({ tag: trigger, score: 1, category: 'general' });
  if (options.includeRating && byCategory.rating.length) {
    const best = [...byCategory.rating].sort(byScore)[0];
    out.push({ ...best, tag: writtenTag(best.tag, options) });
  }
  out.push(...found);
  const unique = new Set(withoutDuplicates(out.map((t) => t.tag)).map(tagKey));
  return out.filter((t) => unique.delete(tagKey(t.tag)));
}

/** The tags' names, for a caption. */
export function tagNames(tags: readonly ScoredTag[]): string[] {
  return tags.map((t) => t.tag);
}

/**
 * Maximum Cut Thresholding (Largeron et al., 2012): sort the scores, find the largest drop
 * between neighbours, and cut in its middle. Fewer than two scores: 1 (nothing passes but a certainty).
 */
export function mcutThreshold(scores: readonly number[]): number {
  if (scores.length < 2) return scores.length === 1 ? scores[0] : 1;
  const sorted = [...scores].sort((a, b) => b - a);
  let at = 0;
  let gap = -1;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const d = sorted[i] - sorted[i + 1];
    if (d > gap) [gap, at] = [d, i];
  }
  return (sorted[at] + sorted[at + 1]) / 2;
}

/** A tag as the caption writes it. */
export function writtenTag(name: string, options: Pick<TagOptions, 'underscoresToSpaces' | 'escapeParentheses'>): string {
  let tag = name;
  // kohya's rule (tags of more than 3 characters) plus SmilingWolf's kaomoji list ("||_||" has 5)
  if (options.underscoresToSpaces && tag.length > 3 && !KAOMOJI.has(tag)) tag = tag.replace(/_/g, ' ');
  if (options.escapeParentheses) tag = tag.replace(/([()])/g, '\\$1');
  return tag;
}

function byScore(a: ScoredTag, b: ScoredTag): number {
  return b.score - a.score || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);
}
