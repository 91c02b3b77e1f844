import { CaptionSource, EditOptionError, EditPlan, PlannedChange, splitFinalBreak } from './editPlan';

export interface FindOptions {
  readonly find: string;
  /** A JavaScript regular expression (compiled with the u and m flags) instead of literal text. */
  readonly regex: boolean;
  readonly caseSensitive: boolean;
  /** Matches only where no letter, digit, mark or '_' touches either end (Unicode-aware, unlike \b). */
  readonly wholeWord: boolean;
}

export interface FindReplaceOptions extends FindOptions {
  /** Regex mode expands $1, $<name>, $& and $$ as String.replace does; literal mode inserts it as typed. */
  readonly replace: string;
}

export interface MatchCount {
  readonly matches: number;
  readonly files: number;
}

/** The find pattern is not a valid regular expression; `engineMessage` is the regex engine's own words. */
export class InvalidPatternError extends EditOptionError {
  constructor(readonly pattern: string, readonly engineMessage: string) {
    super(`The find pattern is not a valid regular expression (${engineMessage}). Fix it, or turn off regular expressions to search for the text as typed.`, 'find');
    this.name = 'InvalidPatternError';
  }
}

const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';

/** The global regular expression for the options; throws EditOptionError or InvalidPatternError. */
export function compileFind(options: FindOptions): RegExp {
  if (options.find === '') throw new EditOptionError('Type the text to find: an empty search would match everywhere.', 'find');
  const flags = `gmu${options.caseSensitive ? '' : 'i'}`;
  let source = options.find;
  if (options.regex) {
    try {
      new RegExp(source, flags);
    } catch (err) {
      throw new InvalidPatternError(source, err instanceof Error ? err.message : String(err));
    }
  } else {
    source = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  if (options.wholeWord) source = `(?<!${WORD_CHAR})(?:${source})(?!${WORD_CHAR})`;
  return new RegExp(source, flags);
}

/** One caption's replacement: its place among the texts, its new text and the matches replaced. */
export interface TextReplacement {
  readonly index: number;
  readonly after: string;
  readonly matches: number;
}

/** Every replacement over a list of texts. */
export interface Replacements {
  readonly replacements: TextReplacement[];
  readonly matches: number;
}

/** Called after each text with the number done; false stops the run (cancelled). */
export type KeepGoing = (done: number) => boolean;

/**
 * The live count shown while typing: matches and the captions holding them, without building new
 * texts. Runs on the calling thread: the extension runs it in PatternRunner's thread.
 */
export function countMatches(sources: readonly CaptionSource[], options: FindOptions): MatchCount {
  return countInTexts(sources.map((s) => s.text), options)!;
}

/**
 * Replaces every match in every caption. The final line break is outside the search, so `$`
 * and `\s+$` act on the last line's text and the file keeps its ending. Runs on the calling
 * thread: the extension runs it in PatternRunner's thread.
 */
export function findReplace(sources: readonly CaptionSource[], options: FindReplaceOptions): EditPlan {
  return planFromReplacements(sources, options, replaceInTexts(sources.map((s) => s.text), options)!);
}

/** countMatches over bare texts (undefined: no caption file); undefined when `keepGoing` stopped it. */
export function countInTexts(texts: readonly (string | undefined)[], options: FindOptions, keepGoing?: KeepGoing): MatchCount | undefined {
  const pattern = compileFind(options);
  let matches = 0;
  let files = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (text !== undefined) {
      const n = countIn(pattern, splitFinalBreak(text).body);
      matches += n;
      if (n > 0) files++;
    }
    if (keepGoing && !keepGoing(i + 1)) return undefined;
  }
  return { matches, files };
}

/** The replacements of findReplace over bare texts; undefined when `keepGoing` stopped it. */
export function replaceInTexts(texts: readonly (string | undefined)[], options: FindReplaceOptions, keepGoing?: KeepGoing): Replacements | undefined {
  const pattern = compileFind(options);
  const literalReplacement = (): string => options.replace;
  const replacements: TextReplacement[] = [];
  let matches = 0;
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index];
    if (text !== undefined) {
      const { body, end } = splitFinalBreak(text);
      const n = countIn(pattern, body);
      if (n > 0) {
        matches += n;
        const after = (options.regex ? body.replace(pattern, options.replace) : body.replace(pattern, literalReplacement)) + end;
        if (after !== text) replacements.push({ index, after, matches: n });
      }
    }
    if (keepGoing && !keepGoing(index + 1)) return undefined;
  }
  return { replacements, matches };
}

/** The plan of `replacements` made over the texts of `sources`, in the same order. */
export function planFromReplacements(sources: readonly CaptionSource[], options: FindReplaceOptions, { replacements, matches }: Replacements): EditPlan {
  const changes: PlannedChange[] = replacements.map(({ index, after, matches: n }) => {
    const source = sources[index];
    return { captionPath: source.captionPath, imagePath: source.imagePath, before: source.text, after, matches: n };
  });
  return { operation: label(options), changes, deletions: [], unchanged: sources.length - changes.length, matches };
}

function countIn(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let n = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    n++;
    // An empty match would match again at the same place; step over one code point as String.replace does.
    if (m[0] === '') pattern.lastIndex += (text.codePointAt(pattern.lastIndex) ?? 0) > 0xffff ? 2 : 1;
  }
  return n;
}

function label(options: FindReplaceOptions): string {
  const find = options.regex ? `/${options.find}/` : `"${options.find}"`;
  const flags = [options.caseSensitive ? 'match case' : '', options.wholeWord ? 'whole word' : ''].filter(Boolean);
  return `Replace ${find} with "${options.replace}"${flags.length ? ` (${flags.join(', ')})` : ''}`;
}
