/**
 * One searchable set of tags (the dataset's, or a booru list's) for autocomplete: names sorted for
 * prefix ranges, word starts sorted for word-prefix ranges, names in rank order with a bit mask of
 * their characters so that substring and fuzzy scans skip most names with one integer test and
 * stop once enough are found.
 */

/** A tag of the set. */
export interface IndexedTag {
  readonly tag: string;
  readonly count: number;
  readonly category?: number;
  readonly aliases?: readonly string[];
}

/** A match: the entry, and the alias it was found by. */
export interface NameMatch {
  readonly entry: number;
  readonly alias?: string;
}

export type MatchTier = 'prefix' | 'word' | 'scan';

/** Lowercase, '_' as ' ', runs of spaces as one: "Long_Hair" and "long  hair" are one name. */
export function normalizeTagName(text: string): string {
  return text.toLowerCase().replace(/[_\s]+/g, ' ').trim();
}

const WORD_BREAKS = new Set([' ', '(', '-', '/', ':']);
/** A prefix range larger than this is searched in rank order instead (dense: the best come soon). */
const DENSE_RANGE = 512;

/** The arrays of an index (see `buildIndex`). */
interface IndexParts {
  readonly entries: IndexedTag[];
  readonly keys: string[];
  readonly byKey: Map<string, number>;
  readonly names: Array<{ readonly key: string; readonly entry: number; readonly alias?: string }>;
  readonly words: Array<{ readonly key: string; readonly name: number }>;
  readonly scan: Int32Array;
  readonly masks: Int32Array;
  readonly rank: Int32Array;
}

/**
 * Builds an index of `tags` (any order; a later tag with a name already seen is dropped, as is an
 * alias that is another tag's name): a 100,000-row list takes a few hundred ms, so a booru list is
 * indexed in the tag completion thread (tagCompleteThread.ts), never on the extension host.
 */
function buildIndex(tags: readonly IndexedTag[]): TagNameIndex {
  const entries: IndexedTag[] = [];
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  const names: Array<{ key: string; entry: number; alias?: string }> = [];
  for (const t of tags) {
    const key = normalizeTagName(t.tag);
    if (key === '' || byKey.has(key)) continue;
    byKey.set(key, entries.length);
    keys.push(key);
    names.push({ key, entry: entries.length });
    entries.push(t);
  }
  const aliasKeys = new Set<string>();
  entries.forEach((t, entry) => {
    for (const alias of t.aliases ?? []) {
      const key = normalizeTagName(alias);
      if (key === '' || byKey.has(key) || aliasKeys.has(key)) continue;
      aliasKeys.add(key);
      names.push({ key, entry, alias });
    }
  });
  const order = entries.map((_, i) => i).sort((a, b) => entries[b].count - entries[a].count || entries[a].tag.length - entries[b].tag.length || (entries[a].tag < entries[b].tag ? -1 : entries[a].tag > entries[b].tag ? 1 : 0));
  const rank = new Int32Array(entries.length);
  order.forEach((entry, r) => (rank[entry] = r));
  names.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : rank[a.entry] - rank[b.entry]));
  const words: Array<{ key: string; name: number }> = [];
  names.forEach((n, i) => {
    for (let p = 1; p < n.key.length; p++) if (WORD_BREAKS.has(n.key[p - 1]) && !WORD_BREAKS.has(n.key[p])) words.push({ key: n.key.slice(p), name: i });
  });
  words.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const scan = Int32Array.from(names.keys()).sort((a, b) => rank[names[a].entry] - rank[names[b].entry] || (names[a].alias ? 1 : 0) - (names[b].alias ? 1 : 0));
  const masks = Int32Array.from(scan, (i) => charMask(names[i].key));
  return new TagNameIndex({ entries, keys, byKey, names, words, scan, masks, rank });
}

export class TagNameIndex {
  readonly entries: IndexedTag[];
  /** Each entry's normalized name. */
  readonly keys: string[];
  private readonly byKey: Map<string, number>;
  /** Names (own and aliases) sorted by key, for prefix ranges. */
  private readonly names: IndexParts['names'];
  /** Word starts after the first (suffixes of names) sorted, for word-prefix ranges. */
  private readonly words: IndexParts['words'];
  /** Name indexes in rank order (best entry first, its own name before its aliases), and their character masks. */
  private readonly scan: Int32Array;
  private readonly masks: Int32Array;
  private readonly rank: Int32Array;

  /** Use `TagNameIndex.of`. */
  constructor(parts: IndexParts) {
    ({ entries: this.entries, keys: this.keys, byKey: this.byKey, names: this.names, words: this.words, scan: this.scan, masks: this.masks, rank: this.rank } = parts);
  }

  /** An index of `tags` (see `buildIndex`). */
  static of(tags: readonly IndexedTag[]): TagNameIndex {
    return buildIndex(tags);
  }

  /** The entry named `key` (normalized), if any. */
  find(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** Up to `limit` entries matching normalized `q` in `tier`, best first, skipping those `skip` says. */
  match(q: string, tier: MatchTier, limit: number, skip: (entry: number) => boolean): NameMatch[] {
    if (limit <= 0) return [];
    if (tier === 'scan') return this.scanFor(q, limit, skip);
    const [start, end] = tier === 'prefix' ? range(this.names, q) : range(this.words, q);
    const nameAt = tier === 'prefix' ? (i: number) => this.names[i] : (i: number) => this.names[this.words[i].name];
    const out: NameMatch[] = [];
    const taken = new Set<number>();
    const add = (name: { entry: number; alias?: string }): void => {
      if (taken.has(name.entry) || skip(name.entry)) return;
      taken.add(name.entry);
      out.push(name.alias === undefined ? { entry: name.entry } : { entry: name.entry, alias: name.alias });
    };
    // an exact name first: it sorts first in its prefix range
    if (tier === 'prefix') for (let i = start; i < end && this.names[i].key === q; i++) add(this.names[i]);
    if (end - start > DENSE_RANGE) {
      const starts = tier === 'prefix' ? (key: string) => key.startsWith(q) : (key: string) => hasWordStartingWith(key, q);
      for (let k = 0; k < this.scan.length && out.length < limit; k++) {
        const name = this.names[this.scan[k]];
        if (starts(name.key)) add(name);
      }
      return out.slice(0, limit);
    }
    const found: Array<{ entry: number; alias?: string }> = [];
    for (let i = start; i < end; i++) found.push(nameAt(i));
    found.sort((a, b) => this.rank[a.entry] - this.rank[b.entry] || (a.alias ? 1 : 0) - (b.alias ? 1 : 0));
    for (const f of found) {
      if (out.length >= limit) break;
      add(f);
    }
    return out;
  }

  /** Substring matches in rank order, then subsequence (fuzzy) ones, in one pass that stops once enough substrings are found. */
  private scanFor(q: string, limit: number, skip: (entry: number) => boolean): NameMatch[] {
    const substring: NameMatch[] = [];
    const fuzzy: NameMatch[] = [];
    const seen = new Set<number>();
    const fuzzyEntries = new Set<number>();
    const mask = charMask(q);
    for (let k = 0; k < this.scan.length && substring.length < limit; k++) {
      if ((this.masks[k] & mask) !== mask) continue;
      const name = this.names[this.scan[k]];
      if (seen.has(name.entry) || skip(name.entry)) continue;
      const match = name.alias === undefined ? { entry: name.entry } : { entry: name.entry, alias: name.alias };
      if (name.key.includes(q)) {
        substring.push(match);
        seen.add(name.entry);
      } else if (fuzzy.length < limit && q.length > 1 && !fuzzyEntries.has(name.entry) && isSubsequence(q, name.key)) {
        fuzzy.push(match);
        fuzzyEntries.add(name.entry);
      }
    }
    return [...substring, ...fuzzy.filter((f) => !seen.has(f.entry))].slice(0, limit);
  }
}

/** [start, end) of the sorted `items` whose key starts with `q`. */
function range(items: ReadonlyArray<{ readonly key: string }>, q: string): [number, number] {
  const lowerBound = (bound: string): number => {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid].key < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [lowerBound(q), lowerBound(q + '\uffff')];
}

function hasWordStartingWith(key: string, q: string): boolean {
  for (let at = key.indexOf(q, 1); at !== -1; at = key.indexOf(q, at + 1)) if (WORD_BREAKS.has(key[at - 1])) return true;
  return false;
}

/** `q`'s characters appear in order in `key`, the first one at the start of a word of it. */
function isSubsequence(q: string, key: string): boolean {
  let at = key.indexOf(q[0]);
  while (at > 0 && !WORD_BREAKS.has(key[at - 1])) at = key.indexOf(q[0], at + 1);
  if (at === -1) return false;
  at++;
  for (let i = 1; i < q.length; i++) {
    at = key.indexOf(q[i], at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** One bit per letter a-z, one for digits, one for anything else: a name lacking a bit of the query cannot contain it. */
function charMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) mask |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) mask |= 1 << 26;
    else if (c !== 32) mask |= 1 << 27;
  }
  return mask;
}
