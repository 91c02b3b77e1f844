/**
 * The dataset view's quick filter: every term must occur, case-insensitively, in the file
 * name or the caption. Double quotes keep a phrase together: `"red car" night`.
 */
export interface TextFilter {
  readonly terms: readonly string[];
  matches(name: string, caption: string): boolean;
}

export function parseTextFilter(query: string): TextFilter {
  const terms: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    const term = (m[1] ?? m[2] ?? '').toLowerCase();
    if (term) terms.push(term);
  }
  return {
    terms,
    matches(name: string, caption: string): boolean {
      if (terms.length === 0) return true;
      const n = name.toLowerCase();
      const c = caption.toLowerCase();
      return terms.every((t) => n.includes(t) || c.includes(t));
    },
  };
}
