/** Captions that are the same text once whitespace runs are one space and case is ignored. */
export interface DuplicateGroup {
  /** The normalised text the members share. */
  readonly key: string;
  /** Indexes into the captions given, ascending. */
  readonly members: readonly number[];
}

/** The comparison key of exact duplicates: trimmed, whitespace collapsed, lowercased. */
export function duplicateKey(text: string): string {
  return text.trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** Each group of two or more captions with the same key, in order of first member; blank captions are left to the empty rule. */
export function exactDuplicateGroups(texts: readonly string[]): DuplicateGroup[] {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < texts.length; i++) {
    const key = duplicateKey(texts[i]);
    if (key === '') continue;
    const members = byKey.get(key);
    if (members) members.push(i);
    else byKey.set(key, [i]);
  }
  const groups: DuplicateGroup[] = [];
  for (const [key, members] of byKey) if (members.length > 1) groups.push({ key, members });
  return groups;
}
