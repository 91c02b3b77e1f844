/** Turns parsed caption records into a plan of caption-file writes; nothing is written here. */

import { mergeCaption } from '../captioning/captionMerge';
import { ImageMatcher, ImportImage } from './imageMatcher';
import { CaptionRecord } from './importTypes';

export type { ImportImage } from './imageMatcher';

/** Which of an image's captions to keep: the first, all (one per line), or the one with this 0-based index. */
export type CaptionChoice = 'first' | 'all' | number;

/** What happens to an image that already has a non-empty caption. */
export const IMPORT_CONFLICT_POLICIES = ['skip', 'overwrite', 'append'] as const;
export type ImportConflictPolicy = (typeof IMPORT_CONFLICT_POLICIES)[number];

export interface ImportOptions {
  readonly which: CaptionChoice;
  readonly conflict: ImportConflictPolicy;
  /** Let `x.jpg` in the source match `x.png` in the dataset when no name matches. */
  readonly matchStem?: boolean;
  /** Separator for append; default: a line break for 'all', else mergeCaption's own choice. */
  readonly separator?: string;
}

export interface ImportWrite {
  readonly captionPath: string;
  readonly imagePath: string;
  readonly before: string | undefined;
  readonly after: string;
}

/** A source row that lands nowhere, one entry per row. */
export interface UnmatchedRecord {
  readonly image: string;
  readonly line?: number;
  readonly reason: string;
}

/** A source row whose file name fits several images, one entry per row. */
export interface AmbiguousRecord {
  readonly image: string;
  readonly line?: number;
  /** Relative paths of the images it could mean. */
  readonly candidates: readonly string[];
}

export interface ImportPlan {
  /** In the order of `images`. */
  readonly writes: ImportWrite[];
  /** Matched images whose caption would stay exactly as it is. */
  readonly unchanged: number;
  /** Matched images left alone because they have a caption and the policy is 'skip'. */
  readonly skippedExisting: number;
  readonly unmatched: UnmatchedRecord[];
  readonly ambiguous: AmbiguousRecord[];
}

export function planImport(records: readonly CaptionRecord[], images: readonly ImportImage[], options: ImportOptions): ImportPlan {
  const matcher = new ImageMatcher(images, options.matchStem ?? false);
  const perImage = new Map<ImportImage, CaptionRecord[]>();
  const plan = { writes: [] as ImportWrite[], unchanged: 0, skippedExisting: 0, unmatched: [] as UnmatchedRecord[], ambiguous: [] as AmbiguousRecord[] };
  for (const record of records) {
    const found = matcher.match(record.image);
    const where = record.line === undefined ? {} : { line: record.line };
    if (found.kind === 'unmatched') plan.unmatched.push({ image: record.image, ...where, reason: found.reason });
    else if (found.kind === 'ambiguous') plan.ambiguous.push({ image: record.image, ...where, candidates: found.candidates });
    else {
      const list = perImage.get(found.image);
      if (list) list.push(record);
      else perImage.set(found.image, [record]);
    }
  }
  for (const image of images) {
    const group = perImage.get(image);
    if (!group) continue;
    const chosen = chooseCaption(group, options.which);
    if (typeof chosen !== 'string') {
      plan.unmatched.push({ image: group[0].image, ...(group[0].line === undefined ? {} : { line: group[0].line }), reason: chosen.reason });
      continue;
    }
    const outcome = planOne(image, chosen, options);
    if (outcome === 'unchanged') plan.unchanged++;
    else if (outcome === 'skippedExisting') plan.skippedExisting++;
    else plan.writes.push(outcome);
  }
  return plan;
}

/** The text to import for one image, or why there is none. */
function chooseCaption(group: readonly CaptionRecord[], which: CaptionChoice): string | { reason: string } {
  const ordered = group.map((r, order) => ({ r, order })).sort((a, b) => (a.r.index ?? a.order) - (b.r.index ?? b.order) || a.order - b.order).map((x) => x.r);
  const usable = ordered.filter((r) => r.caption.trim() !== '');
  if (typeof which === 'number') {
    const picked = usable.find((r) => r.index === which);
    if (picked) return picked.caption.trim();
    if (ordered.some((r) => r.index === which)) return { reason: `caption with index ${which} is empty` };
    const indexes = ordered.map((r) => r.index).filter((i): i is number => i !== undefined);
    return { reason: `has no caption with index ${which} (indexes found: ${indexes.join(', ') || 'none'})` };
  }
  if (usable.length === 0) return { reason: 'has only empty captions' };
  if (which === 'first') return usable[0].caption.trim();
  return usable.map((r) => oneLine(r.caption)).join('\n');
}

type Outcome = ImportWrite | 'unchanged' | 'skippedExisting';

function planOne(image: ImportImage, imported: string, options: ImportOptions): Outcome {
  const before = image.existing;
  if (before === undefined || before.trim() === '') {
    return { captionPath: image.captionPath, imagePath: image.imagePath, before, after: mergeCaption(before ?? '', imported, 'overwrite') };
  }
  if (before.trim() === imported) return 'unchanged';
  if (options.conflict === 'skip') return 'skippedExisting';
  if (options.conflict === 'append' && alreadyAppended(before, imported)) return 'unchanged';
  const separator = options.separator ?? (options.which === 'all' ? '\n' : undefined);
  const after = mergeCaption(before, imported, options.conflict, separator);
  return after === before ? 'unchanged' : { captionPath: image.captionPath, imagePath: image.imagePath, before, after };
}

/** True when a previous append already left `imported` at the end of the caption, so importing again changes nothing. */
function alreadyAppended(existing: string, imported: string): boolean {
  const text = existing.trimEnd();
  if (!text.endsWith(imported)) return false;
  const rest = text.slice(0, text.length - imported.length);
  return rest === '' || /[\s,;]$/.test(rest);
}

/** The caption's lines trimmed and joined with one space, as a global replace of whitespace around line breaks would be (that regex is quadratic in a long run of spaces). */
function oneLine(caption: string): string {
  return caption.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}
