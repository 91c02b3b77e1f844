/**
 * Tag rules (`imageCaptioner.tagRules`): tags that always come first, "A before B" order rules,
 * tags required per folder and banned tags. Read from a settings value, compiled once; no regular
 * expression is built from what the user wrote (folder and banned patterns use the core's globs).
 */
import { tagKey, tagMatcher } from '../edits/tagList';
import { compileGlob, Glob } from '../patterns/glob';

/** The setting's shape. */
export interface TagRules {
  /** Tags that come before all others when present, in this order. */
  readonly alwaysFirst: readonly string[];
  /** [A, B]: when a caption has both, A comes before B. */
  readonly order: readonly (readonly [string, string])[];
  /** Folder pattern (dataset-relative, '/' separated, '*' any characters) → tags every caption there must have. */
  readonly required: Readonly<Record<string, readonly string[]>>;
  /** Tags that must not appear; '*' matches any characters ("*_background"). */
  readonly banned: readonly string[];
}

export const NO_TAG_RULES: TagRules = { alwaysFirst: [], order: [], required: {}, banned: [] };

/** The rules from a settings value, and what in it was ignored (plain-text messages naming the setting). */
export function tagRulesFromSetting(value: unknown, setting = 'imageCaptioner.tagRules'): { rules: TagRules; problems: string[] } {
  const problems: string[] = [];
  if (value === undefined || value === null) return { rules: NO_TAG_RULES, problems };
  if (typeof value !== 'object' || Array.isArray(value)) return { rules: NO_TAG_RULES, problems: [`${setting} should be an object; it is ignored.`] };
  const v = value as Record<string, unknown>;
  const tags = (key: string, list: unknown): string[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
      problems.push(`${setting}.${key} should be a list of tags; it is ignored.`);
      return [];
    }
    const kept = (list as string[]).map((t) => t.trim()).filter((t) => t !== '');
    for (const t of kept.filter((t) => t.includes(','))) problems.push(`${setting}.${key}: "${t}" holds a comma, so it is not one tag; it is ignored.`);
    return kept.filter((t) => !t.includes(','));
  };
  const order: [string, string][] = [];
  if (v.order !== undefined) {
    if (!Array.isArray(v.order)) problems.push(`${setting}.order should be a list of ["A", "B"] pairs; it is ignored.`);
    else {
      for (const pair of v.order) {
        if (Array.isArray(pair) && pair.length === 2 && pair.every((t) => typeof t === 'string' && t.trim() !== '')) order.push([pair[0].trim(), pair[1].trim()]);
        else problems.push(`${setting}.order: ${JSON.stringify(pair)} is not a pair of tags ["A", "B"]; it is ignored.`);
      }
    }
  }
  const required: Record<string, string[]> = {};
  if (v.required !== undefined) {
    if (typeof v.required !== 'object' || v.required === null || Array.isArray(v.required)) problems.push(`${setting}.required should map folder patterns to lists of tags; it is ignored.`);
    else for (const [folder, list] of Object.entries(v.required)) required[folder] = tags(`required["${folder}"]`, list);
  }
  return { rules: { alwaysFirst: tags('alwaysFirst', v.alwaysFirst), order, required, banned: tags('banned', v.banned) }, problems };
}

/** Why a tag is out of place. */
export type OrderReason = 'alwaysFirst' | 'order';

/** The rules ready to test tags against (keys compared case-insensitively, as every tag operation does). */
export class CompiledTagRules {
  private readonly firstRank: Map<string, number>;
  /** B's key → the keys of the tags that must come before B. */
  private readonly after = new Map<string, Set<string>>();
  private readonly requiredBy: ReadonlyArray<{ readonly pattern: string; readonly glob: Glob; readonly tags: readonly string[] }>;
  private readonly bannedTest: (tag: string) => boolean;
  readonly isEmpty: boolean;

  constructor(readonly rules: TagRules) {
    this.firstRank = new Map();
    rules.alwaysFirst.forEach((t, i) => this.firstRank.has(tagKey(t)) || this.firstRank.set(tagKey(t), i));
    for (const [a, b] of rules.order) {
      const before = this.after.get(tagKey(b)) ?? new Set<string>();
      before.add(tagKey(a));
      this.after.set(tagKey(b), before);
    }
    this.requiredBy = Object.entries(rules.required).map(([pattern, tags]) => ({ pattern, glob: compileGlob(trimSlashes(pattern)), tags }));
    this.bannedTest = rules.banned.length ? tagMatcher(rules.banned) : () => false;
    this.isEmpty = rules.alwaysFirst.length + rules.order.length + rules.banned.length + this.requiredBy.reduce((n, r) => n + r.tags.length, 0) === 0;
  }

  /** Whether `tag` is banned. */
  isBanned(tag: string): boolean {
    return this.bannedTest(tag);
  }

  /** Whether `tag` is one of the always-first tags. */
  isAlwaysFirst(tag: string): boolean {
    return this.firstRank.has(tagKey(tag));
  }

  /**
   * The tags required in a dataset-relative folder ('' is the root), each with the pattern that asks
   * for it. A pattern without '*' also covers the folders below it ("people" covers "people/alice").
   */
  requiredFor(folder: string): Array<{ readonly tag: string; readonly pattern: string }> {
    const out: Array<{ tag: string; pattern: string }> = [];
    const seen = new Set<string>();
    for (const { pattern, glob, tags } of this.requiredBy) {
      const bare = trimSlashes(pattern);
      const covers = bare === '' || glob.test(folder) || (!bare.includes('*') && folder.startsWith(`${bare}/`));
      if (!covers) continue;
      for (const tag of tags) if (!seen.has(tagKey(tag)) && seen.add(tagKey(tag))) out.push({ tag, pattern });
    }
    return out;
  }

  /**
   * The tags in rule order: the always-first ones present, in their listed order, then the others
   * in their own order, except that a tag an order rule puts before another is pulled forward to
   * just before it (the fewest tags move). A cycle of rules is given up where it closes.
   */
  ordered<T>(items: readonly T[], tagOf: (item: T) => string): T[] {
    const keys = items.map((item) => tagKey(tagOf(item)));
    const first = items.map((_, i) => i).filter((i) => this.firstRank.has(keys[i])).sort((a, b) => this.firstRank.get(keys[a])! - this.firstRank.get(keys[b])! || a - b);
    const rest = items.map((_, i) => i).filter((i) => !this.firstRank.has(keys[i]));
    if (this.after.size === 0) return [...first, ...rest].map((i) => items[i]);
    const byKey = new Map<string, number[]>();
    for (const i of rest) byKey.set(keys[i], [...(byKey.get(keys[i]) ?? []), i]);
    const out = [...first];
    const placed = new Set<number>();
    const visiting = new Set<string>();
    const place = (i: number): void => {
      visiting.add(keys[i]);
      for (const before of this.after.get(keys[i]) ?? []) {
        if (visiting.has(before)) continue;
        for (const j of byKey.get(before) ?? []) if (!placed.has(j)) place(j);
      }
      visiting.delete(keys[i]);
      if (placed.has(i)) return;
      placed.add(i);
      out.push(i);
    };
    for (const i of rest) if (!placed.has(i)) place(i);
    return out.map((i) => items[i]);
  }

  /** Why `tag` must come before `other`: it is an always-first tag, or an order rule says so. */
  reason(tag: string): OrderReason {
    return this.firstRank.has(tagKey(tag)) ? 'alwaysFirst' : 'order';
  }
}

function trimSlashes(pattern: string): string {
  let start = 0;
  let end = pattern.length;
  while (start < end && (pattern[start] === '/' || pattern[start] === ' ')) start++;
  while (end > start && (pattern[end - 1] === '/' || pattern[end - 1] === ' ')) end--;
  const bare = pattern.slice(start, end);
  return bare === '.' ? '' : bare;
}
