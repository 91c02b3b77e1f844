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

export class TagNameIndex {
  readonly entries: IndexedTag[] = [];
  /** Each entry's normalized name. */
  readonly keys: string[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly names: Array<{ readonly key: string; readonly entry: number; readonly alias?: string }> = [];
  private readonly words: Array<{ readonly key: string; readonly name: number }> = [];
  /** Name indexes in rank order (best entry first, its own name before its aliases), and their character masks. */
  private readonly scan: Int32Array;
  private readonly masks: Int32Array;
  private readonly rank: Int32Array;

  /** `tags` in any order; a later tag with a name already seen is dropped, as is an alias that is another tag's name. */
  constructor(tags: readonly IndexedTag[]) {
    for (const t of tags) {
      const key = normalizeTagName(t.tag);
      if (key === '' || this.byKey.has(key)) continue;
      this.byKey.set(key, this.entries.length);
      this.keys.push(key);
      this.names.push({ key, entry: this.entries.length });
      this.entries.push(t);
    }
    const aliasKeys = new Set<string>();
    this.entries.forEach((t, entry) => {
      for (const alias of t.aliases ?? []) {
        const key = normalizeTagName(alias);
        if (key === '' || this.byKey.has(key) || aliasKeys.has(key)) continue;
        aliasKeys.add(key);
        this.names.push({ key, entry, alias });
      }
    });
    const e = this.entries;
    const order = e.map((_, i) => i).sort((a, b) => e[b].count - e[a].count || e[a].tag.length - e[b].tag.length || (e[a].tag < e[b].tag ? -1 : e[a].tag > e[b].tag ? 1 : 0));
    this.rank = new Int32Array(e.length);
    order.forEach((entry, r) => (this.rank[entry] = r));
    this.names.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : this.rank[a.entry] - this.rank[b.entry]));
    this.names.forEach((n, i) => {
      for (let p = 1; p < n.key.length; p++) if (WORD_BREAKS.has(n.key[p - 1]) && !WORD_BREAKS.has(n.key[p])) this.words.push({ key: n.key.slice(p), name: i });
    });
    this.words.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const scan = this.names.map((_, i) => i).sort((a, b) => this.rank[this.names[a].entry] - this.rank[this.names[b].entry] || (this.names[a].alias ? 1 : 0) - (this.names[b].alias ? 1 : 0));
    this.scan = Int32Array.from(scan);
    this.masks = Int32Array.from(scan, (i) => charMask(this.names[i].key));
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
