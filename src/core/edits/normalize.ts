import { CaptionSource, EditOptionError, EditPlan, endsWithLineBreak, PlannedChange } from './editPlan';

export interface NormalizeOptions {
  /** Removes whitespace and blank lines around the caption; a final line break stays. */
  readonly trim?: boolean;
  /** Runs of spaces and tabs become one space; spaces around line breaks go; at most one blank line in a row. */
  readonly collapseWhitespace?: boolean;
  /** A lone '\r' (old Mac line break) becomes '\n'; the caller keeps each file's LF/CRLF style on write. */
  readonly fixLineEndings?: boolean;
  /** Plans deleting caption files that are blank (after the other steps); the caller confirms. */
  readonly removeEmptyFiles?: boolean;
}

/** Cleans up captions' whitespace; blank captions' files become deletions when asked. */
export function normalize(sources: readonly CaptionSource[], options: NormalizeOptions): EditPlan {
  if (!options.trim && !options.collapseWhitespace && !options.fixLineEndings && !options.removeEmptyFiles) {
    throw new EditOptionError('Choose at least one clean-up step.', 'steps');
  }
  const changes: PlannedChange[] = [];
  const deletions: string[] = [];
  for (const source of sources) {
    if (source.text === undefined) continue;
    const after = normalizeText(source.text, options);
    if (options.removeEmptyFiles && after.trim() === '') deletions.push(source.captionPath);
    else if (after !== source.text) changes.push({ captionPath: source.captionPath, imagePath: source.imagePath, before: source.text, after });
  }
  return { operation: label(options), changes, deletions, unchanged: sources.length - changes.length - deletions.length, matches: 0 };
}

export function normalizeText(text: string, options: NormalizeOptions): string {
  let result = text;
  if (options.fixLineEndings) result = result.replace(/\r\n?/g, '\n');
  if (options.collapseWhitespace) {
    result = result
      .replace(/[^\S\r\n]+/g, ' ')
      .replace(/ ?\n ?/g, '\n')
      .replace(/\n{3,}/g, '\n\n');
  }
  if (options.trim) {
    const end = endsWithLineBreak(result) && result.trim() !== '' ? '\n' : '';
    result = result.trim() + end;
  }
  return result;
}

function label(options: NormalizeOptions): string {
  const steps = [
    options.trim ? 'trim' : '',
    options.collapseWhitespace ? 'collapse whitespace' : '',
    options.fixLineEndings ? 'fix line endings' : '',
    options.removeEmptyFiles ? 'remove empty caption files' : '',
  ].filter(Boolean);
  return `Normalize captions: ${steps.join(', ')}`;
}
